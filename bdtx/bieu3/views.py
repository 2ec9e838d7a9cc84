"""Pages of Biểu 3: a unit's reports of a year, a new report, the report with its figures and its
text sections, and its Word document."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.bieu3 import documents, selectors, services
from bdtx.bieu3.forms import Bieu3CreateForm, Bieu3TextsForm
from bdtx.bieu3.models import TEXT_SECTIONS, Bieu3Report
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_get
from bdtx.summaries.models import RefreshJob

# The text sections on the page, by section of the form (section V's other activities sit under its table).
TEXT_GROUPS = {
    "section_iv": [name for name, _n, _h in TEXT_SECTIONS if name.startswith("assess_")],
    "section_vi": ["proposals"],
    "section_vii": ["comms_direct", "comms_indirect", "comms_impact"],
    "section_viii": ["recommendations"],
}


def _unit(request: AuthenticatedHttpRequest) -> Unit:
    """The unit named by ?unit= (404 outside the scope), else the viewer's highest office; 403
    where they may not see reports or the unit does not file Biểu 3."""
    raw = request.GET.get("unit") or request.POST.get("unit")
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=raw) if raw else None
    unit = unit or selectors.default_unit(scope=request.scope)
    if unit is None or unit.kind not in services.REPORTING_KINDS:
        raise PermissionDenied
    request.scope.require(Perm.REPORTS_VIEW, unit.path)
    return unit


def _report(request: AuthenticatedHttpRequest, uuid: object) -> Bieu3Report:
    report = get_in_scope_or_404(selectors.bieu3_get, scope=request.scope, uuid=str(uuid))
    request.scope.require(Perm.REPORTS_VIEW, report.unit.path)
    return report


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit, year = _unit(request), year_from_request(request)
    return render(
        request,
        "bieu3/list.html",
        {
            "unit": unit,
            "school_year": year,
            "years": school_year_list(),
            "units": selectors.reporting_units(scope=request.scope),
            "reports": selectors.bieu3_list(scope=request.scope, unit=unit, school_year=year),
            "can_file": services.bieu3_writable(scope=request.scope, unit=unit),
        },
    )


def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit, year = _unit(request), year_from_request(request)
    services.bieu3_require_writable(scope=request.scope, unit=unit)
    modules = selectors.module_choices(unit=unit, school_year=year)
    form = Bieu3CreateForm(request.POST or None, modules=modules)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.bieu3_create(
                scope=request.scope,
                unit=unit,
                school_year=year,
                period_from=form.cleaned_data["period_from"],
                period_to=form.cleaned_data["period_to"],
                modules=list(form.cleaned_data["modules"]),
                audience=form.cleaned_data["audience"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The report is created: type its text sections, then download it."))
            return redirect("bieu3:detail", uuid=report.uuid)
    return render(request, "bieu3/create.html", {"unit": unit, "school_year": year, "form": form})


def report_detail(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    report = _report(request, uuid)
    can_file = services.bieu3_writable(scope=request.scope, unit=report.unit)
    initial = {name: getattr(report, name) for name in Bieu3TextsForm.PARTICULARS}
    initial |= {name: text for name, _n, _h, text in report.texts()}
    form = Bieu3TextsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        services.bieu3_require_writable(scope=request.scope, unit=report.unit)
        saved = None
        if form.is_valid():
            saved = services.bieu3_update_texts(
                scope=request.scope, report=report, texts=form.texts(), particulars=form.particulars()
            )
        if request.htmx:  # saved in place: only the save status, what is typed stays on the page
            return render(request, "bieu3/_save_status.html", {"form": form, "saved": saved})
        if saved is not None:
            messages.success(request, _("The text sections are saved."))
            return redirect("bieu3:detail", uuid=report.uuid)
    modules = selectors.report_modules(report)
    figures = selectors.report_figures(report, modules, wait=False)
    if isinstance(figures, RefreshJob):  # many units changed: a worker computes, the page follows it
        return render(request, "bieu3/computing.html", {"report": report, "job": figures})
    return render(
        request,
        "bieu3/detail.html",
        {
            "report": report,
            "title": documents.TITLES[report.preschool],
            "modules": modules,
            "sections": documents.section_ii(figures),
            "survey": documents.section_iii(figures),
            "next_rows": documents.section_v(figures),
            "form": form,
            "can_file": can_file,
            "definitions": documents.DEFINITIONS,
            **TEXT_GROUPS,
        },
    )


def report_docx(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    report = _report(request, uuid)
    return documents.docx_response(documents.bieu3_docx(report=report), documents.bieu3_filename(report))


def report_delete(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    """Asks to confirm (GET), deletes (POST) and goes back to the unit's reports of the year."""
    report = _report(request, uuid)
    services.bieu3_require_writable(scope=request.scope, unit=report.unit)
    if request.method == "POST":
        services.bieu3_delete(scope=request.scope, report=report)
        messages.success(request, _("The Biểu 3 report is deleted."))
        return redirect(f"{reverse('bieu3:list')}?unit={report.unit.uuid}&year={report.school_year.pk}")
    return render(request, "bieu3/delete.html", {"report": report, "modules": selectors.report_modules(report)})
