"""The dashboard of a unit for a school year, its tables as .xlsx: thin views over `selectors` and
`tables`. 404 outside the scope; 403 inside it without `Perm.REPORTS_VIEW` over the unit."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column, write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_list
from bdtx.dashboards import selectors, tables
from bdtx.organisations.models import Unit
from bdtx.summaries.models import RefreshJob


def dashboard_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The viewer's own dashboard: the highest unit where they may see one (403 without any)."""
    unit = selectors.dashboard_home_unit(scope=request.scope)
    if unit is None:
        raise PermissionDenied
    return _render(request, unit)


def _dashboard_of(
    request: AuthenticatedHttpRequest, unit: Unit, *, wait: bool = False
) -> tuple[selectors.Dashboard | RefreshJob, SchoolYear]:
    """The dashboard, or (unless `wait`) the background job still computing its figures."""
    request.scope.require(Perm.REPORTS_VIEW, unit.path)
    year = year_from_request(request)
    figures = selectors.dashboard_figures(unit=unit, school_year=year, wait=wait)
    if isinstance(figures, RefreshJob):
        return figures, year
    return selectors.dashboard_get(scope=request.scope, unit=unit, school_year=year, figures=figures), year


def _tables(request: AuthenticatedHttpRequest, d: selectors.Dashboard, year: SchoolYear) -> list[tables.Table]:
    def url_of(unit: Unit | None) -> str:
        return f"{reverse('dashboards:detail', args=[unit.uuid])}?year={year.pk}" if unit else ""

    out = [tables.months_table(d), tables.groups_table(d), tables.modules_table(d)]
    if not d.is_school:
        out[:0] = [tables.units_table(d, url_of), tables.unit_groups_table(d)]
    return out


def dashboard_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A unit's dashboard: its children units (drill-down) or, for a school, its people; by group,
    by module, completion over the year; a chart with each table."""
    unit = get_in_scope_or_404(selectors.dashboard_unit_get, scope=request.scope, uuid=uuid)
    return _render(request, unit)


def _render(request: AuthenticatedHttpRequest, unit: Unit) -> HttpResponse:
    d, year = _dashboard_of(request, unit)
    if isinstance(d, RefreshJob):
        return render(
            request, "dashboards/computing.html", {"unit": unit, "job": d, "year": year, "years": school_year_list()}
        )
    people = None
    if d.is_school:
        page, base = paginate(request, selectors.school_people(scope=request.scope, unit=d.unit, school_year=year))
        people = {
            "page_obj": page,
            "querystring_base": base,
            "table": tables.people_table(scope=request.scope, d=d, page=page),
        }
    return render(
        request,
        "dashboards/dashboard.html",
        {"d": d, "year": year, "years": school_year_list(), "tables": _tables(request, d, year), "people": people},
    )


def dashboard_xlsx(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """One table of the dashboard (`?table=`) as .xlsx, with the same cells hidden as on the page."""
    unit = get_in_scope_or_404(selectors.dashboard_unit_get, scope=request.scope, uuid=uuid)
    d, year = _dashboard_of(request, unit, wait=True)  # a download waits for the figures
    assert isinstance(d, selectors.Dashboard)
    table = request.GET.get("table", "")
    if table == "people" and d.is_school:
        t = tables.people_table(
            scope=request.scope, d=d, page=selectors.school_people(scope=request.scope, unit=d.unit, school_year=year)
        )
    else:
        found = next((t for t in _tables(request, d, year) if t.key == table), None)
        if found is None:
            raise Http404
        t = found
    rows = [[c.value if c.value is not None else c.text for c in r] for r in t.rows]
    if t.foot:
        rows.append([c.value if c.value is not None else c.text for c in t.foot])
    content = write_xlsx(
        title=f"{t.title} — {d.unit.name}",
        subtitle=_("School year %(year)s") % {"year": year.label},
        columns=[Column(title=c, width=40 if i == 0 else 14) for i, c in enumerate(t.columns)],
        rows=rows,
        sheet=t.key,
    )
    return xlsx_response(content, f"bdtx-{t.key}-{year.pk}.xlsx")
