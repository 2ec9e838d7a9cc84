from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from bdtx.accounts.selectors import password_change_required, scope_for_user

# Set at sign-in when the account's password is a one-time one (`PasswordChangeRequired`), so that
# no page needs a query to know. Giving a one-time password changes the password, which ends every
# session signed in before; a new one starts here.
SESSION_KEY = "bdtx_password_change_required"


class ScopeMiddleware:
    """Attach `request.scope`, built lazily from the user's role assignments."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: scope_for_user(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)


def password_change_required_remember(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """On `user_logged_in`: mark the session of an account that must change its password."""
    if request is not None and hasattr(request, "session") and password_change_required(user=user):
        request.session[SESSION_KEY] = True


def password_change_required_forget(request: HttpRequest) -> None:
    """After the holder set their own password: the session may go anywhere again."""
    request.session.pop(SESSION_KEY, None)


class PasswordChangeRequiredMiddleware:
    """Someone signed in with a one-time password goes to the password change form from every page
    but the form itself, signing out, the language switch and static files, until they set their own.

    The JSON API (under /api/) answers 403 with a message instead, and an htmx request is told to load
    the form as a whole page: neither can show a form it is redirected to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            return self._held_back(request) or self.get_response(request)
        return self.get_response(request)

    @staticmethod
    def _held_back(request: HttpRequest) -> HttpResponse | None:
        change = reverse("accounts:password_change")
        path = request.path_info
        if path in {change, reverse("accounts:logout"), reverse("set_language")}:
            return None
        if path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        try:
            namespace = resolve(path).namespace
        except Resolver404:
            namespace = ""
        if namespace == "api":
            message = _("Your password is a one-time password. Change it on the website before using the API.")
            return JsonResponse({"detail": message}, status=403)
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(change)
        return HttpResponseRedirect(change)
