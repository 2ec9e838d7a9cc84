"""A Biểu 3 report (seed letter 003): an office's or the Sở's report on a period and a set of
modules. Its figures are computed from data when shown or exported (`bdtx.bieu3.figures`); what the
office writes itself — the assessments (IV), other activities (V), proposals (VI), communication
(VII) and recommendations (VIII) — is kept here, a draft saved as often as needed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.core.scope import ScopedQuerySet
from bdtx.summaries.models import UnitSummary


class Audience(models.TextChoices):
    """The form reports general schools; preschool "on the same form, separately"."""

    GENERAL = "pt", _("General schools")
    PRESCHOOL = "mn", _("Preschool")


# The text sections of the form, in its order: (field, number on the form, heading as on the form).
# The headings are the form's own Vietnamese wording (the document is Vietnamese whatever the screen).
TEXT_SECTIONS: list[tuple[str, str, str]] = [
    ("assess_general", "4.1", "Đánh giá chung"),
    ("assess_preparation", "4.2", "Công tác chuẩn bị"),
    ("assess_lecturers", "4.3", "Giảng viên chủ chốt hỗ trợ chuyên môn"),
    (
        "assess_mentors",
        "4.4",
        "Giáo viên cốt cán và cán bộ quản lý cốt cán hỗ trợ phát triển nghề nghiệp thường xuyên",
    ),
    ("assess_it", "4.5", "Hỗ trợ công nghệ thông tin"),
    ("assess_management", "4.6", "Công tác quản lý, giám sát triển khai đợt bồi dưỡng"),
    ("assess_coordination", "4.7", "Phối hợp với Sở GDĐT/Trường trong quản lý bồi dưỡng"),
    ("other_activities", "V", "Các hoạt động khác"),
    ("proposals", "VI", "Các đề xuất chỉnh sửa nội dung và tài liệu bồi dưỡng và phương pháp tổ chức bồi dưỡng"),
    ("comms_direct", "7.1", "Các hoạt động truyền thông trực tiếp"),
    ("comms_indirect", "7.2", "Các hoạt động truyền thông gián tiếp"),
    ("comms_impact", "7.3", "Các hoạt động đánh giá tác động/hiệu quả truyền thông"),
    ("recommendations", "VIII", "Các khuyến nghị (bao gồm truyền thông)"),
]
TEXT_FIELDS = [name for name, _n, _h in TEXT_SECTIONS]


class Bieu3ReportQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Bieu3Report(BaseModel):
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(_("audience"), max_length=2, choices=Audience.choices, default=Audience.GENERAL)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    modules = models.ManyToManyField("catalog.Module", related_name="+", verbose_name=_("modules"))
    institution = models.CharField(_("training institution"), max_length=255, blank=True)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    report_date = models.DateField(_("report date"), null=True, blank=True)
    signer_title = models.CharField(_("title of the signer"), max_length=100, blank=True)
    signer_name = models.CharField(_("name of the signer"), max_length=100, blank=True)
    assess_general = models.TextField(blank=True)
    assess_preparation = models.TextField(blank=True)
    assess_lecturers = models.TextField(blank=True)
    assess_mentors = models.TextField(blank=True)
    assess_it = models.TextField(blank=True)
    assess_management = models.TextField(blank=True)
    assess_coordination = models.TextField(blank=True)
    other_activities = models.TextField(blank=True)
    proposals = models.TextField(blank=True)
    comms_direct = models.TextField(blank=True)
    comms_indirect = models.TextField(blank=True)
    comms_impact = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = Bieu3ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "-period_to", "-id"]
        verbose_name = _("Biểu 3 report")
        verbose_name_plural = _("Biểu 3 reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_from__lte=models.F("period_to")), name="bieu3_period"),
        ]
        indexes = [models.Index(fields=["unit", "school_year"], name="bieu3_unit_year")]

    def __str__(self) -> str:
        if self.period_from is None or self.period_to is None:
            return "Biểu 3"
        return f"Biểu 3 {self.period_from:%d/%m/%Y}–{self.period_to:%d/%m/%Y}"

    @property
    def preschool(self) -> bool:
        return self.audience == Audience.PRESCHOOL

    def texts(self) -> list[tuple[str, str, str, str]]:
        """(field, number, heading, text) of each text section, in the form's order."""
        return [(name, n, heading, getattr(self, name)) for name, n, heading in TEXT_SECTIONS]


class UnitScope(UnitSummary):
    """Biểu 3's 2.1 and 5.3 summary of a unit and school year (kept current by the summaries app,
    `summary`): the people employed there that year (working or on leave) whose approved plan holds
    a module, grouped by module, audience (preschool or not), woman, ethnic minority, difficult area
    and whether they started the module (an active enrolment in it that year): `n` of them."""

    module = models.ForeignKey("catalog.Module", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    preschool = models.BooleanField()
    w = models.BooleanField()
    m = models.BooleanField()
    d = models.BooleanField()
    started = models.BooleanField()


class UnitJoined(UnitSummary):
    """Biểu 3's 2.2 and 2.3 summary of a unit and school year: the active enrolments in a module of
    the learners employed there that year, grouped by cohort (a report keeps the cohorts whose
    schedule falls in its period), module, audience, woman, ethnic minority, difficult area and
    completion: `n` of them."""

    cohort = models.ForeignKey("training.Cohort", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    module = models.ForeignKey("catalog.Module", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    preschool = models.BooleanField()
    w = models.BooleanField()
    m = models.BooleanField()
    d = models.BooleanField()
    completed = models.BooleanField()
