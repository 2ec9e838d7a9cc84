"""What every list page reads from its query string before its own filters: the unit (`?unit=`,
404 outside the viewer's scope), the school year (`?year=`), and the choices its filter form offers."""

from dataclasses import dataclass

from django.http import QueryDict

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_choices, unit_get


@dataclass(frozen=True)
class ListContext:
    unit: Unit | None
    school_year: SchoolYear
    params: QueryDict  # the query string with the year the list shows (htmx submits what the select shows)
    years: list[tuple[int, str]]
    units: list[tuple[str, str]]


def list_context_from_request(request: AuthenticatedHttpRequest) -> ListContext:
    raw = request.GET.get("unit")
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=raw) if raw else None
    year = year_from_request(request)
    params = request.GET.copy()
    params["year"] = str(year.pk)
    return ListContext(
        unit=unit,
        school_year=year,
        params=params,
        years=[(y.pk, y.label) for y in school_year_list()],
        units=[(str(u.uuid), u.name) for u in unit_choices(scope=request.scope, include=unit)],
    )
