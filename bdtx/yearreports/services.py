"""Writes for the yearly results report: file (or refile) to the parent, accept, return.

A school files its live figures (`selectors.live_figures`); an office, a Sở or the ministry files
the sum of its children's filed or accepted reports (`selectors.children_sum`). What is filed is a
snapshot: later changes to the data below never alter it; a returned report may be filed again,
which stores a new one. The unit's own staff file (`reports.file` held at the unit); the parent in
force that school year accepts or returns (`reports.decide` held at the parent: not an authority
above it, `selectors.may_decide_report`). Every step
writes a `YearReportEvent` and an audit entry in the same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.plans.unit.selectors import is_school_like, may_act_for, parent_in_year
from bdtx.yearreports.models import ReportStatus, YearReport, YearReportEvent
from bdtx.yearreports.notifications import year_report_decided
from bdtx.yearreports.selectors import SENT, children_sum, figures_to_file, may_decide_report

FILABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _record(*, scope: Scope, report: YearReport, action: str, before: str, comment: str = "") -> None:
    YearReportEvent.objects.create(report=report, actor_id=scope.user_id, action=action, comment=comment)
    audit_record(
        actor_id=scope.user_id,
        action=action,
        obj=report,
        unit_path=report.unit.path,
        changes={"status": [before, report.status]} if before != report.status else {},
        note=comment,
    )


@transaction.atomic
def year_report_file(*, scope: Scope, unit: Unit, school_year: SchoolYear, incomplete_ok: bool = False) -> YearReport:
    """File the unit's results report of the year to its parent, freezing today's figures.

    A level with units below files the sum of their filed or accepted reports; when some have filed
    nothing (or were returned), it files only knowingly (`incomplete_ok`)."""
    if not may_act_for(scope=scope, unit=unit, perm=Perm.REPORTS_FILE):
        raise PermissionDenied
    if parent_in_year(unit=unit, school_year=school_year) is None:
        raise ValidationError(_("This unit has no higher level to file its report to."))
    report = YearReport.objects.select_for_update().filter(unit=unit, school_year=school_year).first()
    if report is None:
        report = YearReport.objects.create(unit=unit, school_year=school_year)
    if report.status not in FILABLE:
        raise ValidationError(_("This report has been filed: it can be filed again only after it is returned."))
    if is_school_like(unit):
        figures = figures_to_file(unit=unit, school_year=school_year)
    else:
        summed = children_sum(unit=unit, school_year=school_year)
        if summed.missing and not incomplete_ok:
            raise ValidationError(
                _(
                    "Only %(done)s of the %(of)s units below have filed their report: the report leaves the "
                    "others out. Tick “File it incomplete” to file it anyway."
                )
                % {"done": summed.included, "of": summed.total}
            )
        figures = summed.figures
    before = report.status
    report.snapshot = figures.to_json()
    report.status = ReportStatus.FILED
    report.filed_at = timezone.now()
    report.filed_by_id = scope.user_id
    report.decided_at = None
    report.decided_by = None
    report.save(update_fields=["snapshot", "status", "filed_at", "filed_by", "decided_at", "decided_by", "updated_at"])
    _record(scope=scope, report=report, action="year_report.file", before=before)
    return report


def _locked(report: YearReport) -> YearReport:
    return YearReport.objects.select_for_update(of=("self",)).select_related("unit", "school_year").get(pk=report.pk)


def _decider_check(scope: Scope, report: YearReport) -> None:
    if not may_decide_report(scope=scope, unit=report.unit, school_year=report.school_year):
        raise PermissionDenied


@transaction.atomic
def year_report_accept(*, scope: Scope, report: YearReport, comment: str = "") -> YearReport:
    """The parent accepts a filed report: it counts in the parent's own report."""
    report = _locked(report)
    _decider_check(scope, report)
    if report.status != ReportStatus.FILED:
        raise ValidationError(_("Only a filed report can be accepted."))
    before = report.status
    report.status = ReportStatus.ACCEPTED
    report.decided_at = timezone.now()
    report.decided_by_id = scope.user_id
    report.comment = comment.strip()
    report.save(update_fields=["status", "decided_at", "decided_by", "comment", "updated_at"])
    _record(scope=scope, report=report, action="year_report.accept", before=before, comment=report.comment)
    year_report_decided(report)
    return report


@transaction.atomic
def year_report_return(*, scope: Scope, report: YearReport, comment: str) -> YearReport:
    """The parent sends the report back with what to change; the unit may file it again.

    An accepted report can be reopened only while the parent's own report is not filed: the parent's
    figures include it."""
    report = _locked(report)
    _decider_check(scope, report)
    if not comment.strip():
        raise ValidationError(_("Say what needs to change."))
    if report.status not in SENT:
        raise ValidationError(_("Only a filed or accepted report can be returned."))
    parent = parent_in_year(unit=report.unit, school_year=report.school_year)
    if YearReport.objects.filter(unit=parent, school_year=report.school_year, status__in=SENT).exists():
        raise ValidationError(
            _("The higher level has already filed a report that includes this one: have it returned first.")
        )
    before = report.status
    report.status = ReportStatus.RETURNED
    report.decided_at = timezone.now()
    report.decided_by_id = scope.user_id
    report.comment = comment.strip()
    report.save(update_fields=["status", "decided_at", "decided_by", "comment", "updated_at"])
    _record(scope=scope, report=report, action="year_report.return", before=before, comment=report.comment)
    year_report_decided(report)
    return report
