"""The yearly BDTX results report of a unit, filed up the tree as a snapshot."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import audit_actions
from bdtx.core.models import BaseModel
from bdtx.core.scope import ScopedQuerySet
from bdtx.summaries.models import UnitSummary
from bdtx.yearreports.figures import ReportFigures


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned for changes")


class YearReportQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class YearReport(BaseModel):
    """A unit's results report for a school year: a school's own figures, or the sum of its
    children's filed reports, frozen in `snapshot` when filed. Refiling (after a return) replaces
    the snapshot; nothing else ever changes it."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    snapshot = models.JSONField(_("filed figures"), default=dict, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    objects = YearReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly results report")
        constraints = [models.UniqueConstraint(fields=["unit", "school_year"], name="one_year_report_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year}"

    @property
    def figures(self) -> ReportFigures:
        return ReportFigures.from_json(self.snapshot)


class YearReportEvent(models.Model):
    report = models.ForeignKey(YearReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)  # an audit action code: year_report.file, … (yearreports/audit.py)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        return audit_actions.label(self.action)


class UnitFigures(UnitSummary):
    """A unit's figures of a school year as rows of people sharing the same traits: the summary
    the report sums over a subtree (`summary`), kept current by the summaries app (rewritten when the
    data under the unit changes). Never edited; a unit's rows are deleted and written again.

    kind "cell": `code` staff type, `level`, `ownership`, `r` the year result (1 completed, 0 not,
    NULL none); kind "programme": `code` the programme, `r` 1 if all the person's active enrolments of
    it are completed; kind "module": `code` the module id, `r` 1 if completed. `w`, `m`, `d`: woman,
    ethnic minority, difficult area (0/1); `n` how many people."""

    kind = models.CharField(max_length=10)
    code = models.CharField(max_length=40)
    level = models.CharField(max_length=10, null=True)
    ownership = models.CharField(max_length=16, null=True)
    w = models.SmallIntegerField()
    m = models.SmallIntegerField()
    d = models.SmallIntegerField()
    r = models.SmallIntegerField(null=True)
