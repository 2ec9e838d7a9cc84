"""Personal BDTX plans, their approval at the school, deadlines, and unit plans up the tree."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import audit_actions
from bdtx.core.models import BaseModel, InForceQuerySet, VersionedByYear, year_range_constraint
from bdtx.core.scope import ScopedQuerySet
from bdtx.plans.unit.figures import UnitPlanFigures
from bdtx.regimes.models import Programme


class Form(models.TextChoices):
    IN_PERSON = "tap_trung", _("In person (tập trung)")
    DISTANCE = "tu_xa", _("Distance (từ xa)")
    BLENDED = "ban_tap_trung", _("Blended (bán tập trung)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class PersonalPlanQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"


class PersonalPlan(BaseModel):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="plans")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    regime = models.ForeignKey("regimes.Regime", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    objects = PersonalPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal plan")
        verbose_name_plural = _("personal plans")
        constraints = [models.UniqueConstraint(fields=["person", "school_year"], name="one_plan_per_person_year")]

    def __str__(self) -> str:
        return f"{self.person} {self.school_year}"


class PlanItem(models.Model):
    plan = models.ForeignKey(PersonalPlan, on_delete=models.CASCADE, related_name="items")
    programme = models.CharField(_("programme"), max_length=4, choices=Programme.choices)
    content = models.ForeignKey(
        "catalog.ProgrammeContent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey("catalog.Module", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=500)
    hours = models.PositiveSmallIntegerField(_("periods"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.BLENDED)
    start_month = models.DateField(_("from (month)"), null=True, blank=True)
    end_month = models.DateField(_("to (month)"), null=True, blank=True)
    reason = models.CharField(_("why it was proposed"), max_length=500, blank=True)

    # Annotated by `plans.personal.selectors.plan_items` (never stored): the periods the line counts,
    # None for a module without periods (neither the ministry's nor the province's).
    counted_hours: int | None

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("plan item")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "module"], condition=models.Q(module__isnull=False), name="module_once_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.title}"


class PlanEvent(models.Model):
    """Each step of a plan's life: who did what, when, with which comment."""

    plan = models.ForeignKey(PersonalPlan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)  # an audit action code: plan.create, plan.submit, … (plans/audit.py)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        """The step in words, the same as its audit entry's."""
        return audit_actions.label(self.action)


class DeadlineKind(models.TextChoices):
    PERSONAL_PLAN = "personal_plan", _("Personal plans approved")
    SCHOOL_PLAN = "school_plan", _("School plan submitted")
    OFFICE_PLAN = "office_plan", _("Office plan submitted")
    PROVINCE_PLAN = "province_plan", _("Provincial plan submitted")
    # The yearly results report (yearreports): a school to its office, an office to the Sở, the Sở to the Bộ.
    SCHOOL_RESULTS = "school_results", _("School results report filed")
    OFFICE_RESULTS = "office_results", _("Office results report filed")
    PROVINCE_RESULTS = "province_results", _("Provincial results report filed")


class DeadlineQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Deadline(BaseModel):
    """A date an authority sets for its subtree; the nearest ancestor's date applies (earliest wins
    between an authority and the defaults of the regime)."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what"), max_length=16, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due on"))
    source = models.CharField(_("set by (document)"), max_length=255, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("deadline")
        constraints = [models.UniqueConstraint(fields=["unit", "school_year", "kind"], name="one_deadline_per_kind")]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.due_on:%d/%m/%Y}"


class UnitPlanQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class UnitPlan(BaseModel):
    """A unit's BDTX plan for a year: compiled from approved personal plans (a school) or from the
    children's unit plans (an office, a province, the ministry), submitted to the parent."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    number = models.CharField(_("document number"), max_length=64, blank=True)
    totals = models.JSONField(_("compiled figures"), default=dict, blank=True)
    compiled_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)

    objects = UnitPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit plan")
        constraints = [models.UniqueConstraint(fields=["unit", "school_year"], name="one_unit_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year}"

    @property
    def figures(self) -> UnitPlanFigures:
        """The compiled figures (`totals`) as typed values; a plan never compiled has empty ones."""
        return UnitPlanFigures.from_json(self.totals)

    @figures.setter
    def figures(self, value: UnitPlanFigures) -> None:
        self.totals = value.to_json()


class UnitPlanEvent(models.Model):
    plan = models.ForeignKey(UnitPlan, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64)  # an audit action code: unit_plan.compile, … (plans/audit.py)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def label(self) -> str:
        """The step in words, the same as its audit entry's."""
        return audit_actions.label(self.action)


class DeadlineDefault(VersionedByYear):
    """A deadline the regulation sets for everyone (e.g. TT 19/2019: personal plans approved before
    31/5), for the school years from `first_year` to `last_year`.

    The date for the plans of school year Y is (Y + `year_offset`)-`month`-`day`: plans are made
    before the year they are for begins (offset 0 puts 31/5 of Y before September of Y). It counts as
    the ministry's own deadline until the ministry sets one for that year; any authority below may
    set an earlier date for its subtree, never a later one.
    """

    kind = models.CharField(_("what"), max_length=16, choices=DeadlineKind.choices)
    month = models.PositiveSmallIntegerField(_("month"))
    day = models.PositiveSmallIntegerField(_("day"))
    year_offset = models.SmallIntegerField(_("calendar year = school start year +"), default=0)
    source = models.CharField(_("legal source"), max_length=255)
    # What is still to be checked against the official text: for administrators (the data sources
    # page); the deadline's readers see only the legal source.
    verification_note = models.TextField(_("still to be checked"), blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "first_year"]
        verbose_name = _("default deadline")
        verbose_name_plural = _("default deadlines")
        constraints = [
            models.UniqueConstraint(fields=["kind", "first_year"], name="one_default_deadline_per_kind_start"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="default_deadline_month"),
            models.CheckConstraint(condition=models.Q(day__gte=1, day__lte=31), name="default_deadline_day"),
            year_range_constraint("default_deadline_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:02d}/{self.month:02d} ({self.source})"
