"""Audit actions of the yearly results report (registered from `YearReportsConfig.ready`); the
report's events store the same codes and read with the same labels."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction

ACTIONS = [
    AuditAction("year_report.file", _("Yearly results report filed")),
    AuditAction("year_report.accept", _("Yearly results report accepted")),
    AuditAction("year_report.return", _("Yearly results report returned")),
]
