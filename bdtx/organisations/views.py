from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations import selectors, services
from bdtx.organisations.exporters import unit_columns, unit_rows
from bdtx.organisations.forms import LetterheadForm
from bdtx.organisations.letterhead import letterhead
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
    template = "organisations/_unit_table.html" if request.htmx else "organisations/unit_list.html"
    return render(request, template, {"page_obj": page, "querystring_base": base, "kinds": UnitKind.choices})


def unit_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.UNITS_VIEW)
    content = write_xlsx(
        title=_("List of units"),
        subtitle=_("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=unit_columns(),
        rows=unit_rows(_unit_list_qs(request)),
    )
    return xlsx_response(content, "danh-sach-don-vi.xlsx")


def unit_letterhead(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """How the unit heads and signs its documents: a preview and, for those who may, the form."""
    unit = get_in_scope_or_404(selectors.unit_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.UNITS_VIEW, unit.path)
    may_edit = request.scope.has(Perm.UNITS_MANAGE, unit.path) or request.scope.holds_at(Perm.PEOPLE_MANAGE, unit)
    form = LetterheadForm(request.POST or None, instance=unit) if may_edit else None
    if request.method == "POST":
        if form is None:
            request.scope.require(Perm.UNITS_MANAGE, unit.path)  # 403
        elif form.is_valid():
            services.unit_letterhead_update(
                scope=request.scope, unit=unit, **{k: form.cleaned_data[k] for k in form.fields}
            )
            messages.success(request, _("Saved."))
            return redirect("organisations:letterhead", uuid=unit.uuid)
    preview = letterhead(unit, parent=unit.parent)
    return render(request, "organisations/letterhead.html", {"unit": unit, "form": form, "preview": preview})
