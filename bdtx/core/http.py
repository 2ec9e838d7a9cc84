"""The request every signed-in view receives: typed, so `request.scope` and `request.user` are known.

Modelled on healthchecks' `hc/accounts/http.py`. `LoginRequiredMiddleware` guarantees the user is
signed in before any view without `@login_not_required` runs; `ScopeMiddleware` attaches the scope.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
