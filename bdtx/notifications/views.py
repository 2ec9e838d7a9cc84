"""The user's notifications: the list (newest first), opening one (marks it read, goes to its page),
marking all read, the unread count for the bell, and the settings (per kind, in the app / by e-mail)."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.notifications import selectors, services
from bdtx.notifications.models import Notification

PAGE_SIZE = 20


@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page, base = paginate(request, selectors.notification_list(user_id=request.user.pk), per_page=PAGE_SIZE)
    return render(request, "notifications/list.html", {"page_obj": page, "querystring_base": base})


def _own(request: AuthenticatedHttpRequest, uuid: str) -> Notification:
    try:
        return selectors.notification_get(user_id=request.user.pk, uuid=uuid)
    except Notification.DoesNotExist:
        raise Http404 from None


@require_GET
def notification_open(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Mark the notification read and go to the page it is about (only a page of this site)."""
    n = _own(request, uuid)
    services.notification_mark_read(scope=request.scope, uuid=n.uuid)
    safe = n.url.startswith("/") and url_has_allowed_host_and_scheme(n.url, allowed_hosts=None)
    return HttpResponseRedirect(n.url if safe else "/notifications/")


@require_POST
def notification_read(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    n = _own(request, uuid)
    services.notification_mark_read(scope=request.scope, uuid=n.uuid)
    return redirect("notifications:list")


@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notification_mark_read(scope=request.scope)
    return redirect("notifications:list")


@require_GET
def notification_unread(request: AuthenticatedHttpRequest) -> JsonResponse:
    """The bell's count (bdtx.js asks for it after the page has loaded, and again every minute)."""
    response = JsonResponse({"unread": selectors.notification_unread_count(user_id=request.user.pk)})
    response["Cache-Control"] = "no-store"
    return response


def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    choices = selectors.notification_choices(scope=request.scope)
    if request.method == "POST":
        services.notification_preferences_set(
            scope=request.scope,
            choices={
                c.kind.code: (f"in_app:{c.kind.code}" in request.POST, f"email:{c.kind.code}" in request.POST)
                for c in choices
            },
        )
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"choices": choices})
