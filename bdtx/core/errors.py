"""The site's error pages: Vietnamese, inside the site's layout, each with a way back (the page the
person came from when it is ours, and their landing page). Wired in config/urls.py (handler400…500)
and settings.CSRF_FAILURE_VIEW; Django's own pages are English and dead ends."""

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme


def _back(request: HttpRequest) -> str | None:
    """The page the person came from, if it is on this site and is not the failing page itself."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
        here = request.build_absolute_uri()
    except DisallowedHost:
        return None
    if referer and referer != here and url_has_allowed_host_and_scheme(referer, allowed_hosts={host}):
        return referer
    return None


def _page(request: HttpRequest, status: int, **context: object) -> HttpResponse:
    return render(request, f"errors/{status}.html", {"back": _back(request), **context}, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context: whatever failed (the database, a context processor)
    must not fail the error page too."""
    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page kept open too long (or from another site): say what to do, not why
    Django refused it."""
    return _page(request, 403, csrf=True)
