"""The request every signed-in view receives: typed, so `request.scope` and `request.user` are known.

Modelled on healthchecks' `hc/accounts/http.py`. `LoginRequiredMiddleware` guarantees the user is
signed in before any view without `@login_not_required` runs; `ScopeMiddleware` attaches the scope.
"""

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.core.selectors import school_year_current

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    scope: Scope
    htmx: "HtmxDetails"


def get_in_scope_or_404[T](getter: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a selector's `*_get(scope=…, …)`; a missing object, or one outside the scope, is a 404.

    Outside the scope answers exactly like a missing object (Zulip): the selector filters by
    `visible_to(scope)`, this turns its `DoesNotExist` into `Http404`. The caller then checks the
    permission inside the scope (403).
    """
    try:
        return getter(**kwargs)
    except (ObjectDoesNotExist, ValidationError):  # ValidationError: a malformed UUID in a query string
        raise Http404 from None


def year_from_request(request: HttpRequest, *, param: str = "year") -> SchoolYear:
    """The school year named by `?year=2025` (GET, then POST), or the current one when it is missing or unknown."""
    raw = request.GET.get(param) or request.POST.get(param) or ""
    # isascii: str.isdigit() also accepts digits int() refuses ("²⁰²⁵")
    if len(raw) == 4 and raw.isascii() and raw.isdigit() and (year := SchoolYear.objects.filter(pk=int(raw)).first()):
        return year
    return school_year_current()


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, for throttling sign-ins and password-reset mails.

    Without a proxy (`TRUSTED_PROXIES = 0`, the default) it is the connection's address. Behind n
    trusted reverse proxies, each appending the address it saw to X-Forwarded-For (nginx's
    `$proxy_add_x_forwarded_for`), it is the n-th address from the right: the one the outermost
    proxy saw. Anything further left was written by the client and is ignored. A header with fewer
    entries, or an entry that is not an address, falls back to the connection's address.
    """
    if request is None:
        return None
    remote = _ip_or_none(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXIES
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= hops and (seen := _ip_or_none(forwarded[-hops])):
            return seen
    return remote


def _ip_or_none(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


DEV_SITE_URL = "http://127.0.0.1:8000"


def site_url(request_base: str = "") -> str:
    """The site's address as people reach it, for links that leave the site (a certificate's QR code,
    a notification e-mail): `SITE_URL` (env `DJANGO_SITE_URL`), else the address of the request that
    asked, else the development server's. No trailing slash."""
    return (str(getattr(settings, "SITE_URL", "")) or request_base or DEV_SITE_URL).rstrip("/")
