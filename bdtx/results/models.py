"""Each person's BDTX result of a school year (issue 10), computed from data by the regime of that
year — TT 19/2019 (with TT 17/2022): Hoàn thành when every item of the approved plan is completed
and every graded component reaches the pass mark; TT 26/2012: the average and the Giỏi / Khá /
Trung bình / Không hoàn thành classification — with the reasons when it is not completed. A result
is proposed by the school and recognised by the managing authority; a recognised one is frozen.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel, InForceQuerySet, VersionedByYear, year_range_constraint
from bdtx.core.scope import ScopedQuerySet


class ResultStatus(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    PROPOSED = "proposed", _("Proposed by the school")
    RECOGNISED = "recognised", _("Recognised")


class ResultSource(models.TextChoices):
    COMPUTED = "computed", _("Computed from the year's data")
    IMPORTED = "imported", _("Imported (earlier years)")


class YearResultQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"


class YearResult(BaseModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="year_results")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")  # the plan's unit
    plan = models.ForeignKey("plans.PersonalPlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    regime = models.ForeignKey("regimes.Regime", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("result"), max_length=32)  # a code of the regime's result categories
    label = models.CharField(_("result"), max_length=100)
    completed = models.BooleanField(_("completed the BDTX plan"))
    average = models.DecimalField(_("average"), max_digits=4, decimal_places=2, null=True, blank=True)
    # why it is not completed: [{"code": "item", "title": …}, {"code": "score", "what": …, "value": "4.99"}, …]
    reasons = models.JSONField(default=list, blank=True)
    # the component scores the result was graded from, as text: {"nd1": "8.50", "nd2": "7.00", "nd3": ["9.00"]}
    # (TT 26/2012), or what the historic spreadsheet gave for an imported result
    components = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)  # an imported result's remark, a correction's reason
    source = models.CharField(_("source"), max_length=8, choices=ResultSource.choices, default=ResultSource.COMPUTED)
    status = models.CharField(_("status"), max_length=12, choices=ResultStatus.choices, default=ResultStatus.COMPUTED)
    computed_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    recognised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recognised_at = models.DateTimeField(null=True, blank=True)
    # the authority that recognised it (the school's managing office, or the Sở, as the province's
    # `RecognitionRule` says): it issues the certificate
    recognised_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    return_comment = models.TextField(_("returned with the comment"), blank=True)  # the last return's reason

    objects = YearResultQuerySet.as_manager()

    class Meta:
        ordering = ["school_year", "unit", "person"]
        verbose_name = _("year result")
        verbose_name_plural = _("year results")
        constraints = [models.UniqueConstraint(fields=["person", "school_year"], name="one_result_per_person_year")]
        indexes = [models.Index(fields=["school_year", "unit", "status"], name="result_year_unit_status")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.school_year_id}: {self.label}"


class Recogniser(models.TextChoices):
    MANAGING = (
        "managing",
        _("The school's managing unit (the commune or district office, or the Sở for its own schools)"),
    )
    PROVINCE = "province", _("The Department of Education (Sở) for all its schools")


class RecognitionRule(VersionedByYear):
    """Who recognises a school's year results in a province, for a span of school years (seed 003:
    results are sent up "để được công nhận hoàn thành BDTX"; each province decides who recognises).

    `managing`: the unit that manages the school in that school year (its parent in the tree in force
    then): the commune or district office, or the Sở for the schools it manages directly. `province`:
    the Sở for every school of the province. A province without a rule in force uses `managing`
    (`bdtx.results.selectors.recognisers_of`).
    """

    province = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "department"},
        verbose_name=_("province (Department of Education)"),
    )
    recogniser = models.CharField(
        _("who recognises the results"), max_length=12, choices=Recogniser.choices, default=Recogniser.MANAGING
    )
    source = models.CharField(_("legal source"), max_length=255)
    verification_note = models.TextField(_("still to be checked"), blank=True)

    objects = InForceQuerySet["RecognitionRule"].as_manager()

    class Meta:
        ordering = ["province", "first_year"]
        verbose_name = _("recognition rule")
        verbose_name_plural = _("recognition rules")
        constraints = [
            models.UniqueConstraint(fields=["province", "first_year"], name="one_recognition_rule_per_province_start"),
            year_range_constraint("recognition_rule_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.province_id}: {self.get_recogniser_display()} ({self.years_label})"
