"""Base model, school years and the audit log."""

import uuid
from datetime import date
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import ChangeRow, audit_actions
from bdtx.core.scope import ScopedQuerySet


class BaseModel(models.Model):
    """Integer key for joins, a UUID for URLs (never expose sequential ids), timestamps."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SchoolYear(models.Model):
    """A school year ("năm học 2024-2025"), stored by its start year.

    `starts_on`/`ends_on` partition time (1 July to 30 June by default), so every date belongs to
    exactly one school year; the organisation tree of a year is the tree in force on `ends_on`,
    the date its results reports are due (TT 19/2020: Sở → Bộ by 30/6).
    """

    start_year = models.PositiveSmallIntegerField(primary_key=True)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")

    def __str__(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def label(self) -> str:
        return str(self)

    @classmethod
    def for_date(cls, day: date) -> int:
        """Start year of the school year containing `day` (1 July starts a new year)."""
        return day.year if day.month >= 7 else day.year - 1

    @property
    def next(self) -> "SchoolYear":
        """The school year after this one."""
        return SchoolYear.of(self.start_year + 1)

    @classmethod
    def of(cls, start_year: int) -> "SchoolYear":
        """The school year starting in `start_year`: its row, or (for a year not seeded, e.g. a
        catalog's first year far ahead) an unsaved one with the default bounds, enough to ask
        which rules are in force."""
        found = cls.objects.filter(pk=start_year).first()
        if found is not None:
            return found
        starts_on, ends_on = cls.default_bounds(start_year)
        return cls(start_year=start_year, starts_on=starts_on, ends_on=ends_on)

    @staticmethod
    def default_bounds(start_year: int) -> tuple[date, date]:
        return date(start_year, 7, 1), date(start_year + 1, 6, 30)


def in_force_q(school_year: SchoolYear, prefix: str = "") -> Q:
    """Rows (or, with `prefix` such as "catalog__", related rows) in force in that school year."""
    y = school_year.start_year
    return Q(**{f"{prefix}first_year__lte": y}) & (
        Q(**{f"{prefix}last_year__isnull": True}) | Q(**{f"{prefix}last_year__gte": y})
    )


def year_range_constraint(name: str) -> models.CheckConstraint:
    """No version ends before it begins."""
    return models.CheckConstraint(
        condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")), name=name
    )


class InForceQuerySet[M: models.Model](models.QuerySet[M]):
    def in_force(self, school_year: SchoolYear) -> Self:
        """The versions in force in that school year."""
        return self.filter(in_force_q(school_year))


class VersionedByYear(models.Model):
    """A rule that holds for a span of school years (by start year), then gives way to a new version:
    regimes, professional standards, module catalogs, the regulation's default deadlines.

    Each row names its legal source; a new circular is a new row, never an edit of the old one, so
    the rules of a past year stay as they were.
    """

    first_year = models.PositiveSmallIntegerField(_("first school year (start year)"))
    last_year = models.PositiveSmallIntegerField(_("last school year (start year)"), null=True, blank=True)

    class Meta:
        abstract = True

    def in_force(self, school_year: SchoolYear) -> bool:
        y = school_year.start_year
        return self.first_year <= y and (self.last_year is None or self.last_year >= y)

    @property
    def years_label(self) -> str:
        """'2020-2021 → …' or '2012-2013 → 2019-2020'."""
        end = f"{self.last_year}-{self.last_year + 1}" if self.last_year is not None else "…"
        return f"{self.first_year}-{self.first_year + 1} → {end}"


ACTION_LABELS = {
    "unit.create": _("Unit created"),
    "unit.update": _("Unit changed"),
    "unit.move": _("Unit moved in the tree"),
    "person.create": _("Person added"),
    "person.update": _("Person changed"),
    "employment.update": _("Work details changed"),
    "sensitive.read": _("Sensitive data viewed"),
    "role.assign": _("Role given"),
    "role.revoke": _("Role taken away"),
    "account.create": _("Account created"),
    "import.upload": _("Staff file uploaded"),
    "import.confirm": _("Staff import confirmed"),
    "import.staff": _("Staff file imported"),
    "regime.create": _("Regime added"),
    "regime.update": _("Regime changed"),
    "hours_shift.set": _("Programme 01/02 periods split set"),
    "content.create": _("Programme content added"),
    "content.update": _("Programme content changed"),
    "content.delete": _("Programme content removed"),
    "focus_module.add": _("Focus module added"),
    "focus_module.remove": _("Focus module removed"),
    "material.add": _("Learning material added"),
    "material.remove": _("Learning material removed"),
    "module.create": _("Module added"),
    "module.update": _("Module changed"),
    "catalog.create": _("Catalog added"),
    "catalog.update": _("Catalog changed"),
    "catalog_import.upload": _("Catalog file uploaded"),
    "catalog.import": _("Catalog file imported"),
    # personal plans (their events are named by the step)
    "created": _("Personal plan started"),
    "submitted": _("Personal plan submitted"),
    "approved": _("Personal plan approved"),
    "returned": _("Personal plan returned"),
    "reopened": _("Personal plan reopened"),
    "deadline.set": _("Deadline set"),
    "deadline.delete": _("Deadline removed"),
    "unit_plan.compiled": _("Unit plan compiled"),
    "unit_plan.submitted": _("Unit plan submitted"),
    "unit_plan.approved": _("Unit plan approved"),
    "unit_plan.returned": _("Unit plan returned"),
}


class AuditLogQuerySet(ScopedQuerySet):
    scope_path_field = "unit_path"
    scope_person_field = None


class AuditLog(models.Model):
    """Who changed what, when, with the values before and after. Written in the same transaction."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        IMPORT = "import", _("Import")
        API = "api", _("API")
        SYSTEM = "system", _("System")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.WEB)
    object_type = models.CharField(max_length=64)
    object_uuid = models.UUIDField(null=True, blank=True, db_index=True)
    object_repr = models.CharField(max_length=255, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=255, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """The action in words (`bdtx.core.audit`); an unregistered code reads as itself."""
        return audit_actions.label(self.action)

    def change_rows(self) -> list[ChangeRow]:
        """The changes as rows a person reads: field labels, choice labels, dates, figures in words."""
        return audit_actions.rows(self)

    @property
    def note_text(self) -> str:
        """The note, in words when the action knows its form."""
        return audit_actions.note(self)
