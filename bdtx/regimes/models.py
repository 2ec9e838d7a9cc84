"""The rules of BDTX for a span of school years, as data an administrator can change.

A regime names its legal source and holds the hours per programme, which of them a province may
shift, the pass mark, the result categories and (historic TT 26/2012) the grading formula.
The next regime (Law on Teachers 73/2025/QH15) is added as a new row, not as code.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel, InForceQuerySet, SchoolYear, VersionedByYear, year_range_constraint
from bdtx.core.scope import ScopedQuerySet


class Programme(models.TextChoices):
    BD01 = "BD01", _("Programme 01 (set by the ministry)")
    BD02 = "BD02", _("Programme 02 (set by the province)")
    BD03 = "BD03", _("Programme 03 (modules chosen by the person)")


class RegimeQuerySet(InForceQuerySet["Regime"]):
    def for_year(self, school_year: SchoolYear) -> "Regime":
        """The regime in force in the school year (DoesNotExist if none)."""
        return self.in_force(school_year).get()


class Regime(BaseModel, VersionedByYear):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    legal_source = models.TextField(_("legal source"))
    total_hours = models.PositiveSmallIntegerField(_("total periods per year"))
    bd01_hours = models.PositiveSmallIntegerField(_("programme 01 periods"))
    bd02_hours = models.PositiveSmallIntegerField(_("programme 02 periods"))
    bd03_hours = models.PositiveSmallIntegerField(_("programme 03 periods"))
    shiftable_01_02 = models.BooleanField(_("provinces may shift periods between 01 and 02"), default=True)
    pass_mark = models.DecimalField(
        _("pass mark (10-point scale)"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    result_categories = models.JSONField(
        _("result categories"),
        default=list,
        help_text='[{"code": "hoan_thanh", "label": "Hoàn thành kế hoạch BDTX"}, …]',
    )
    grading = models.JSONField(
        _("grading formula"),
        default=dict,
        blank=True,
        help_text="Empty for pass/fail regimes; thresholds for graded ones (TT 26/2012).",
    )
    notes = models.TextField(_("notes"), blank=True)
    # What is still to be checked against the official text: for administrators (the data sources
    # page), never shown to the people the regime applies to.
    verification_note = models.TextField(_("still to be checked"), blank=True)

    objects = RegimeQuerySet.as_manager()

    class Meta:
        ordering = ["first_year"]
        verbose_name = _("regime")
        verbose_name_plural = _("regimes")
        constraints = [
            year_range_constraint("regime_year_range"),
            models.CheckConstraint(
                condition=Q(total_hours=models.F("bd01_hours") + models.F("bd02_hours") + models.F("bd03_hours")),
                name="regime_hours_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HoursShiftQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class HoursShift(BaseModel):
    """A province's split of programme 01 and 02 periods for its subtree and one school year."""

    unit = models.ForeignKey("organisations.Unit", on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    bd01_hours = models.PositiveSmallIntegerField(_("programme 01 periods"))
    bd02_hours = models.PositiveSmallIntegerField(_("programme 02 periods"))
    decision = models.CharField(_("decision (number, date)"), max_length=255, blank=True)

    objects = HoursShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("hours split")
        constraints = [models.UniqueConstraint(fields=["unit", "school_year"], name="one_shift_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit} {self.school_year}: {self.bd01_hours}/{self.bd02_hours}"
