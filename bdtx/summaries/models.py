"""What changed since the summaries were last computed, and the background jobs that compute them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.core.scope import ScopedQuerySet


class UnitSummary(models.Model):
    """The base of a reporting app's summary rows: `n` people (or enrolments) of a unit in a school
    year sharing what the subclass's other columns say. Rows are deleted and written again by the
    app's summariser (`registry`), never edited. No foreign-key constraints: a summary must never
    block deleting a unit, and its rows go when the unit's data goes (the triggers log that)."""

    id = models.BigAutoField(primary_key=True)
    school_year = models.ForeignKey(
        "core.SchoolYear", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    n = models.IntegerField()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["school_year", "unit"], name="%(app_label)s_%(class)s_unit")]


class Change(models.Model):
    """One write that may have changed the figures of a unit (the unit of an employment or an
    enrolment) in a school year. Written only by the database triggers of `triggers` (so bulk
    updates, imports and raw SQL are logged too), deleted when the unit's summaries are recomputed.

    Plain integers, no foreign keys: the triggers must stay cheap and never block a delete."""

    id = models.BigAutoField(primary_key=True)
    school_year_id = models.IntegerField()
    unit_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["school_year_id", "unit_id"], name="summaries_change_unit")]


class YearLock(models.Model):
    """One row per school year, locked while a unit's summaries of that year are rewritten, so that
    two refreshes never interleave (both would delete, then both insert: figures counted twice)."""

    school_year = models.OneToOneField("core.SchoolYear", on_delete=models.CASCADE, related_name="+")


class RefreshJobQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class RefreshJob(BaseModel):
    """Bringing the summaries of every changed unit under `unit` (in that year's tree) up to date,
    in the background, batch by batch (`total` and `done` count units)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Computing the figures")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = frozenset({Status.QUEUED, Status.RUNNING})

    unit = models.ForeignKey("organisations.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RefreshJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("figure computation")
        verbose_name_plural = _("figure computations")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.school_year_id} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("summaries:progress", kwargs={"uuid": self.uuid})

    @property
    def is_running(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.done // self.total) if self.total else 0
