from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.accounts.models import Perm
from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.models import SchoolYear
from bdtx.core.paging import paginate
from bdtx.core.selectors import school_year_current, school_year_list
from bdtx.organisations import selectors
from bdtx.organisations.exporters import unit_columns, unit_rows
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.selectors import staff_counts


def _unit_list_qs(request: HttpRequest) -> QuerySet[Unit]:
    kind = request.GET.get("kind", "")
    return selectors.unit_list(
        scope=request.scope,
        kind=kind if kind in UnitKind.values else None,
        q=request.GET.get("q", "").strip(),
        difficult=request.GET.get("difficult", ""),
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    request.scope.require(Perm.UNITS_VIEW)
    page, base = paginate(request, _unit_list_qs(request))
    return render(
        request, "organisations/unit_list.html", {"page_obj": page, "querystring_base": base, "kinds": UnitKind.choices}
    )


@login_required
def unit_export(request: HttpRequest) -> HttpResponse:
    request.scope.require(Perm.UNITS_VIEW)
    content = write_xlsx(
        title=_("List of units"),
        subtitle=_("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=unit_columns(),
        rows=unit_rows(_unit_list_qs(request)),
    )
    return xlsx_response(content, "danh-sach-don-vi.xlsx")


@login_required
def unit_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    try:
        unit = selectors.unit_get(scope=request.scope, uuid=uuid)
    except Unit.DoesNotExist:
        raise Http404 from None
    request.scope.require(Perm.UNITS_VIEW, unit.path)
    year = _year_from(request)
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "year": year,
            "years": school_year_list(),
            "parent_visible": unit.parent is not None and request.scope.covers(unit.parent.path),
            "summary": selectors.unit_scope_summary(unit=unit),
            "children": selectors.unit_children_on(unit=unit, day=year.ends_on),
            "placements": unit.placements.select_related("parent").order_by("valid_from"),
            "staff": staff_counts(scope=request.scope, school_year=year.pk, unit=unit),
        },
    )


def _year_from(request: HttpRequest) -> SchoolYear:
    """The school year asked for in ?year=, else the current one."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and (year := SchoolYear.objects.filter(pk=int(raw)).first()):
        return year
    return school_year_current()
