"""Base model, school years and the audit log."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
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

    @staticmethod
    def default_bounds(start_year: int) -> tuple[date, date]:
        return date(start_year, 7, 1), date(start_year + 1, 6, 30)


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
