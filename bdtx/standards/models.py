"""Professional standards as versioned data (TT 20/2018, 14/2018, 26/2018, 25/2018): standards →
criteria → key criteria → rating rules; and each person's yearly self-assessment with evidence,
colleagues' opinions and the principal's evaluation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel, InForceQuerySet, VersionedByYear, year_range_constraint
from bdtx.core.scope import ScopedQuerySet


class Level(models.IntegerChoices):
    """Rating levels of a criterion (and of the overall result)."""

    NOT_MET = 1, _("Not met (Chưa đạt)")
    MET = 2, _("Met (Đạt)")
    GOOD = 3, _("Good (Khá)")
    EXCELLENT = 4, _("Excellent (Tốt)")


class Confidence(models.TextChoices):
    """How far a criterion's wording was checked against the circular (see data/README.md)."""

    VERIFIED = "verified", _("Verified against a source")
    PARTIAL = "partial", _("Partly verified")
    UNVERIFIED = "unverified", _("Not verified")


class Framework(BaseModel, VersionedByYear):
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    circular = models.CharField(_("legal source"), max_length=255)
    audience = models.CharField(_("audience"), max_length=8)  # people.Audience values
    # How many criteria the circular has (TT 20/2018: 15). Shares such as "2/3 of the criteria" are
    # counted over this number; while fewer criteria are recorded, every rating is provisional.
    # Empty: not recorded, the criteria recorded are taken as the whole standard.
    criteria_count = models.PositiveSmallIntegerField(
        _("number of criteria in the circular"),
        null=True,
        blank=True,
        help_text=_("As the circular gives it; ratings stay provisional while fewer criteria are recorded."),
    )
    completeness_note = models.TextField(_("completeness"), blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("standard framework")
        verbose_name_plural = _("standard frameworks")
        constraints = [year_range_constraint("framework_year_range")]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("standard")
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="standard_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    is_key = models.BooleanField(_("key criterion"), default=False)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=16, choices=Confidence.choices, default=Confidence.VERIFIED
    )

    class Meta:
        ordering = ["standard__framework", "number"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class RatingRule(models.Model):
    """One overall rating of a framework and what it needs, tried from the highest rank down.

    E.g. TT 20/2018 Tốt: every criterion ≥ Khá, at least 2/3 of them at Tốt, every key
    criterion at Tốt; TT 14/2018 Đạt: no floor for every criterion (`min_all` at Chưa đạt), at
    least 2/3 at Đạt or better, every key criterion at Đạt. Shares are counted over the
    circular's criteria (`Framework.criteria_count`). The first rule that holds gives the rating;
    none → `Level.NOT_MET`.
    """

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="rules")
    result = models.PositiveSmallIntegerField(_("overall rating"), choices=Level.choices)
    min_all = models.PositiveSmallIntegerField(_("every criterion at least"), choices=Level.choices)
    share_level = models.PositiveSmallIntegerField(_("share at least at"), choices=Level.choices, null=True, blank=True)
    share_numerator = models.PositiveSmallIntegerField(default=0)
    share_denominator = models.PositiveSmallIntegerField(default=1)
    key_min = models.PositiveSmallIntegerField(_("key criteria at least"), choices=Level.choices, null=True, blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["framework", "-result"]
        verbose_name = _("rating rule")
        constraints = [models.UniqueConstraint(fields=["framework", "result"], name="one_rule_per_rating")]

    def __str__(self) -> str:
        return f"{self.framework.code}: {self.get_result_display()}"


class AssessmentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"


class Assessment(BaseModel):
    """One person's assessment against their standard for one school year."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Self-assessment submitted")
        EVALUATED = "evaluated", _("Evaluated by the principal")

    class Source(models.TextChoices):
        WEB = "web", _("Entered here")
        TEMIS = "temis", _("Imported from TEMIS")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.WEB)
    self_result = models.PositiveSmallIntegerField(
        _("self-assessed rating"), choices=Level.choices, null=True, blank=True
    )
    principal_result = models.PositiveSmallIntegerField(
        _("principal's rating"), choices=Level.choices, null=True, blank=True
    )
    principal_comment = models.TextField(_("principal's comment"), blank=True)
    evaluated_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment against the standard")
        constraints = [models.UniqueConstraint(fields=["person", "school_year"], name="one_assessment_per_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.school_year}"


class CriterionRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_level = models.PositiveSmallIntegerField(
        _("self-assessed level"), choices=Level.choices, null=True, blank=True
    )
    principal_level = models.PositiveSmallIntegerField(
        _("principal's level"), choices=Level.choices, null=True, blank=True
    )
    evidence_text = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), max_length=1000, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/", blank=True)

    class Meta:
        ordering = ["criterion__number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_rating_per_criterion")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.criterion_id}: {self.self_level}"

    @property
    def evidence_filename(self) -> str:
        return (self.evidence_file.name or "").rsplit("/", 1)[-1]


class PeerOpinion(BaseModel):
    """A colleague's opinion on a person's self-assessment (collected by the subject-group head)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="opinions")
    author = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("opinion"))

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("colleague's opinion")

    def __str__(self) -> str:
        return f"{self.author} → {self.assessment}"


class LevelsAre(models.TextChoices):
    """Whose levels an imported TEMIS file holds."""

    PRINCIPAL = "principal", _("The principal's evaluation (final result)")
    SELF = "self", _("The teachers' self-assessment")
