"""The organisation tree: Bộ → Sở → (Phòng until 06/2025 | commune) → schools, with history.

`Unit.path` is the materialised path of the tree in force today ('/1/5/42/', ids of the
ancestors and the unit). `UnitPlacement` keeps every path a unit has had with its validity, so
a report for 2024-2025 still rolls up through a district abolished on 01/07/2025.
"""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.core.scope import ScopedQuerySet
from bdtx.core.search import search_q
from bdtx.core.text import fold, nfc


class UnitKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry of Education and Training")
    DEPARTMENT = "department", _("Provincial Department of Education")
    DISTRICT = "district", _("District Education Office")
    COMMUNE = "commune", _("Commune / ward People's Committee")
    SCHOOL = "school", _("School")
    CENTRE = "centre", _("Continuing education centre")
    INSTITUTION = "institution", _("Training institution")


class SchoolLevel(models.TextChoices):
    MN = "MN", _("Preschool")
    TH = "TH", _("Primary")
    THCS = "THCS", _("Lower secondary")
    THPT = "THPT", _("Upper secondary")
    GDTX = "GDTX", _("Continuing education")


class Ownership(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")


class SchoolType(models.TextChoices):
    REGULAR = "regular", _("Regular")
    ETHNIC_BOARDING = "ethnic_boarding", _("Ethnic boarding school (PTDTNT)")
    ETHNIC_SEMI_BOARDING = "ethnic_semi_boarding", _("Ethnic semi-boarding school (PTDTBT)")
    SPECIALISED = "specialised", _("Specialised (gifted) school")
    INCLUSIVE = "inclusive", _("Special / inclusive education")


class UnitQuerySet(ScopedQuerySet):
    scope_path_field = "path"

    def active(self) -> "UnitQuerySet":
        return self.filter(dissolved_on__isnull=True)

    def with_level(self, level: str) -> "UnitQuerySet":
        return self.filter(levels__contains=f",{level},")

    def search(self, text: str) -> "UnitQuerySet":
        """Diacritic-insensitive search on name and code: 'tieu hoc dong' finds 'Tiểu học Đông'."""
        return self.filter(search_q(text, "search_text"))


class Unit(BaseModel):
    kind = models.CharField(max_length=16, choices=UnitKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        help_text=_("Administrative code: province 2 digits, commune 5 digits, or a school code."),
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    levels = models.CharField(
        _("school levels"),
        max_length=64,
        blank=True,
        help_text="Comma-delimited, with leading and trailing commas: ',TH,THCS,'.",
    )
    ownership = models.CharField(_("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)
    school_type = models.CharField(
        _("school type"), max_length=32, choices=SchoolType.choices, default=SchoolType.REGULAR
    )
    difficult_area = models.BooleanField(_("difficult area"), default=False)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    established_on = models.DateField(null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The letterhead and signature of the unit's official documents (Decree 30/2020/NĐ-CP, Appendix I);
    # empty: the default for its kind (`organisations.letterhead`).
    governing_body = models.CharField(
        _("governing body (line above the name)"),
        max_length=255,
        blank=True,
        help_text=_("E.g. ỦY BAN NHÂN DÂN TỈNH CAO BẰNG above SỞ GIÁO DỤC VÀ ĐÀO TẠO. Empty: by the kind of unit."),
    )
    document_name = models.CharField(
        _("name on documents"), max_length=255, blank=True, help_text=_("Empty: the unit's name in capitals.")
    )
    document_abbr = models.CharField(
        _("abbreviation in document numbers"),
        max_length=32,
        blank=True,
        help_text=_("As in “Số: 12/KH-SGDĐT”. Empty: by the kind of unit, or the unit's short name."),
    )
    signer_title = models.CharField(_("title of the signer"), max_length=100, blank=True)
    signer_name = models.CharField(_("name of the signer"), max_length=100, blank=True)
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.CheckConstraint(condition=~Q(path=""), name="unit_path_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.search_text = fold(f"{self.name} {self.short_name} {self.code}")[:400]
        super().save(*args, **kwargs)

    @property
    def level_list(self) -> list[str]:
        return [lv for lv in self.levels.split(",") if lv]

    def level_labels(self) -> str:
        return ", ".join(str(SchoolLevel(lv).label) for lv in self.level_list if lv in SchoolLevel.values)

    @property
    def is_school_like(self) -> bool:
        return self.kind in (UnitKind.SCHOOL, UnitKind.CENTRE)

    @staticmethod
    def format_levels(levels: list[str] | tuple[str, ...]) -> str:
        ordered = [lv for lv in SchoolLevel.values if lv in set(levels)]
        return f",{','.join(ordered)}," if ordered else ""


class UnitPlacementQuerySet(ScopedQuerySet):
    scope_path_field = "path"

    def on(self, day: date) -> "UnitPlacementQuerySet":
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)


class UnitPlacement(models.Model):
    """Where a unit sat in the tree from `valid_from` (inclusive) to `valid_to` (exclusive)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="placements")
    parent = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)

    objects = UnitPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["unit_id", "valid_from"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="placement_unit_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="placement_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.path} {self.valid_from}–{self.valid_to or ''}"
