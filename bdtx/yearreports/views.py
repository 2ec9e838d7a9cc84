"""Yearly results reports: the status board of a level's children, a unit's report with its actions
(file, accept, return), the snapshot against today, and its .xlsx and .docx.

Small-cell suppression (decided here, for the page and both documents): a viewer who does not see
sensitive data at the unit (`scope.sees_sensitive(unit.path)` is False: the ministry) sees the
group cells (women, ethnic minority, ethnic-minority women, difficult area) as the dashboards show
them — 1 to 4 as "<5", an ethnicity cell that would give people away (by subtraction, or as everyone
of a group) as "x", totals and their
percentages as they are (`bdtx.core.suppression`, shared with the dashboards, beside this app). Why:
ethnicity is sensitive personal data (Decree 13/2023), and a school's or a commune's report has
groups small enough to read a person's ethnicity off them; the Sở, which sees that data anyway, sees
every figure. The suppression is only how the figures are shown: the stored snapshot (`YearReport`
figures) keeps the true figures, so a filed report adds up exactly at the level above, whoever
looks at it later. The board shows totals only, so it has nothing to suppress.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core.exporters import xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_get
from bdtx.plans.unit.documents import docx_response
from bdtx.plans.unit.selectors import is_school_like, parent_in_year
from bdtx.summaries.models import RefreshJob
from bdtx.yearreports import documents
from bdtx.yearreports import selectors as sel
from bdtx.yearreports import services as svc
from bdtx.yearreports.figures import ReportFigures
from bdtx.yearreports.forms import ReportDecisionForm, ReportFileForm
from bdtx.yearreports.models import ReportStatus, YearReport


def _unit(request: AuthenticatedHttpRequest, uuid: object) -> Unit:
    """A unit in the viewer's scope (404 outside) whose reports they may see (403 otherwise)."""
    try:
        unit = unit_get(scope=request.scope, uuid=str(uuid))
    except (Unit.DoesNotExist, ValidationError):
        raise Http404 from None
    request.scope.require(Perm.REPORTS_VIEW, unit.path)
    return unit


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _unit(request, raw) if (raw := request.GET.get("unit")) else sel.board_default_unit(scope=request.scope)
    if unit is None:
        raise PermissionDenied
    year = year_from_request(request)
    data = sel.board_get(scope=request.scope, unit=unit, school_year=year, status=request.GET.get("status", ""))
    labels = dict(ReportStatus.choices)
    return render(
        request,
        "yearreports/board.html",
        {
            "board": data,
            "years": school_year_list(),
            "can_decide": request.scope.holds_at(Perm.REPORTS_DECIDE, unit),  # the children's reports are filed to it
            "has_children": not is_school_like(unit),
            "statuses": [(code, labels.get(code, _("Nothing filed")), n) for code, n in data.counts.items()],
        },
    )


def report(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    """A unit's report of a year: its status and history, the filed snapshot next to today's figures,
    and, while it may be filed, what filing would store."""
    unit = _unit(request, uuid)
    school_year = get_object_or_404(SchoolYear, pk=year)
    found = sel.report_find(unit=unit, school_year=school_year)
    filed = found is not None and found.status != ReportStatus.DRAFT
    computed = sel.live_figures_or_job(unit=unit, school_year=school_year)
    job = computed if isinstance(computed, RefreshJob) else None
    live = computed if isinstance(computed, ReportFigures) else None  # None while a job computes them
    has_children = not is_school_like(unit)
    pending = sel.children_sum(unit=unit, school_year=school_year) if has_children else None
    shown = found.figures if found and filed else (pending.figures if pending else live or ReportFigures())
    parent = parent_in_year(unit=unit, school_year=school_year)
    due = sel.due_of(unit=unit, school_year=school_year)
    suppress = not request.scope.sees_sensitive(unit.path)
    return render(
        request,
        "yearreports/report.html",
        {
            "unit": unit,
            "school_year": school_year,
            "report": found,
            "filed": filed,
            "status": found.status if filed and found else sel.MISSING,
            "parent": parent,
            "parent_visible": parent is not None and request.scope.has(Perm.REPORTS_VIEW, parent.path),
            "due": due,
            "late": sel.report_is_late(found if filed else None, due),
            "outcome_rows": sel.outcome_rows(shown, suppress=suppress),
            "part_tables": [
                (_("Programme"), sel.programme_rows(shown, suppress=suppress), "programmes"),
                (_("Module"), sel.module_rows(shown, suppress=suppress), "modules"),
            ],
            "diff_rows": sel.diff_rows(shown, live, suppress=suppress) if filed and live else [],
            "changed": filed and live is not None and shown.core != live.core,
            "live_rows": sel.outcome_rows(live, suppress=suppress) if has_children and live else [],
            "suppressed": suppress,
            "job": job,
            "pending": pending,
            "events": sel.report_events(found),
            "can_file": (not filed or (found is not None and found.status == ReportStatus.RETURNED))
            and parent is not None
            and sel.may_file(scope=request.scope, unit=unit),
            "can_decide": found is not None
            and found.status in sel.SENT
            and sel.may_decide_report(scope=request.scope, unit=unit, school_year=school_year),
            "has_children": has_children,
            "file_form": ReportFileForm(),
            "decision_form": ReportDecisionForm(),
        },
    )


@require_POST
def report_file(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    unit = _unit(request, uuid)
    school_year = get_object_or_404(SchoolYear, pk=year)
    request.scope.require(Perm.REPORTS_FILE, unit.path)
    form = ReportFileForm(request.POST)
    form.is_valid()
    try:
        svc.year_report_file(
            scope=request.scope,
            unit=unit,
            school_year=school_year,
            incomplete_ok=bool(form.cleaned_data.get("incomplete_ok")),
        )
        messages.success(request, _("The report has been filed."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("yearreports:report", unit.uuid, school_year.pk)


@require_POST
def report_decide(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    unit = _unit(request, uuid)
    school_year = get_object_or_404(SchoolYear, pk=year)
    request.scope.require(Perm.REPORTS_DECIDE, unit.path)
    found = sel.report_find(unit=unit, school_year=school_year)
    if found is None:
        raise Http404
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to accept or return the report."))
        return redirect("yearreports:report", unit.uuid, school_year.pk)
    try:
        if form.cleaned_data["decision"] == "accept":
            svc.year_report_accept(scope=request.scope, report=found, comment=form.cleaned_data["comment"])
            messages.success(request, _("The report has been accepted."))
        else:
            svc.year_report_return(scope=request.scope, report=found, comment=form.cleaned_data["comment"])
            messages.success(request, _("The report has been returned with your comment."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("yearreports:report", unit.uuid, school_year.pk)


def _exported(
    request: AuthenticatedHttpRequest, uuid: object, year: int
) -> tuple[Unit, SchoolYear, YearReport | None, bool]:
    """The unit, the year, its report and whether the group cells are suppressed for the viewer."""
    unit = _unit(request, uuid)
    school_year = get_object_or_404(SchoolYear, pk=year)
    suppress = not request.scope.sees_sensitive(unit.path)
    return unit, school_year, sel.report_find(unit=unit, school_year=school_year), suppress


def report_xlsx(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    unit, school_year, found, suppress = _exported(request, uuid, year)
    content = documents.report_xlsx(unit=unit, school_year=school_year, report=found, suppress=suppress)
    return xlsx_response(content, documents.report_filename(unit, school_year, "xlsx"))


def report_docx(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    unit, school_year, found, suppress = _exported(request, uuid, year)
    content = documents.report_docx(unit=unit, school_year=school_year, report=found, suppress=suppress)
    return docx_response(content, documents.report_filename(unit, school_year, "docx"))
