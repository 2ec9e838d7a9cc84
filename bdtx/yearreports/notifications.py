"""What the yearly results report tells people (registered from `YearReportsConfig.ready`): the
filing unit's report managers (who hold `reports.file` there) learn that the unit above returned
their report with what to change, or accepted it. Sent inside the deciding transaction; the event
key names the report, the decision and its moment, so a refiled report decided again is a new event."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bdtx.core.scope import Perm
from bdtx.notifications.kinds import NotificationKind
from bdtx.notifications.services import notify
from bdtx.organisations.models import Unit
from bdtx.plans.notifications import deciders
from bdtx.yearreports.models import ReportStatus, YearReport

KINDS = [
    NotificationKind(
        "year_report.returned",
        _("A results report was returned"),
        _("The unit above sent your unit's yearly results report back with what to change."),
        permissions=frozenset({Perm.REPORTS_FILE}),
    ),
    NotificationKind(
        "year_report.accepted",
        _("A results report was accepted"),
        _("The unit above accepted your unit's yearly results report."),
        default_email=False,
        permissions=frozenset({Perm.REPORTS_FILE}),
    ),
]


def year_report_decided(report: YearReport) -> None:
    """Tell the report managers of the filing unit that the unit above returned or accepted it."""
    if report.status not in (ReportStatus.RETURNED, ReportStatus.ACCEPTED):
        return
    returned = report.status == ReportStatus.RETURNED
    notify(
        user_ids=deciders(Unit.objects.filter(pk=report.unit_id).values("pk"), Perm.REPORTS_FILE),
        kind="year_report.returned" if returned else "year_report.accepted",
        event_key=f"year_report:{report.pk}:{report.status}:{report.decided_at:%Y%m%d%H%M%S%f}",
        title=(
            _("The results report of %(unit)s for %(year)s was returned")
            if returned
            else _("The results report of %(unit)s for %(year)s was accepted")
        ),
        body=_("What to change: %(comment)s") if returned else (_("Comment: %(comment)s") if report.comment else ""),
        params={"unit": report.unit.name, "year": str(report.school_year), "comment": report.comment},
        url=reverse("yearreports:report", kwargs={"uuid": report.unit.uuid, "year": report.school_year.pk}),
    )
