from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations import selectors
from bdtx.organisations.exporters import unit_columns, unit_rows
from bdtx.organisations.models import Unit, UnitKind


def _unit_list_qs(request: AuthenticatedHttpRequest) -> QuerySet[Unit]:
    kind = request.GET.get("kind", "")
    return selectors.unit_list(
        scope=request.scope,
        kind=kind if kind in UnitKind.values else None,
        q=request.GET.get("q", "").strip(),
        difficult=request.GET.get("difficult", ""),
    )


def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.UNITS_VIEW)
    page, base = paginate(request, _unit_list_qs(request))
    return render(
        request, "organisations/unit_list.html", {"page_obj": page, "querystring_base": base, "kinds": UnitKind.choices}
    )


def unit_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.UNITS_VIEW)
    content = write_xlsx(
        title=_("List of units"),
        subtitle=_("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=unit_columns(),
        rows=unit_rows(_unit_list_qs(request)),
    )
    return xlsx_response(content, "danh-sach-don-vi.xlsx")
