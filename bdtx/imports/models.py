"""Import jobs: the uploaded file, what was found in it, and what was written — for every kind of import."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bdtx.core.importing import base as importing
from bdtx.core.importing import legacy
from bdtx.core.models import BaseModel, SchoolYear
from bdtx.core.scope import ScopedQuerySet
from bdtx.organisations.models import Unit

MAX_STORED_PROBLEMS = 5000


class ImportJobQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class ImportJob(BaseModel):
    """One uploaded file and its log. Jobs belong to the unit chosen on upload (the scope root);
    `kind` names the importer (`bdtx.core.importing.base.get`), `options` what it was told on upload."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting to be checked")
        VALIDATING = "validating", _("Checking")
        VALIDATED = "validated", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    RUNNING = frozenset({Status.UPLOADED, Status.VALIDATING, Status.IMPORTING})

    kind = models.CharField(_("kind"), max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_jobs"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="import_jobs")
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("school year"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    original_filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", max_length=255)
    language = models.CharField(max_length=8, blank=True, help_text="Language of the messages, the uploader's.")
    options = models.JSONField(default=dict, blank=True, help_text="What the importer was told on upload.")
    check_only = models.BooleanField(_("check only"), default=False)
    only_valid = models.BooleanField(_("only the valid rows"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0)
    sheet = models.CharField(max_length=64, blank=True)
    header_rows = models.CharField(max_length=16, blank=True)
    columns = models.JSONField(default=list, blank=True, help_text="[{letter, header, key}] recognised columns.")
    ignored_columns = models.JSONField(default=list, blank=True)
    legacy_encoding = models.BooleanField(default=False)
    encoding = models.CharField(max_length=8, blank=True, help_text="The legacy encoding converted: tcvn3, vni.")
    inflated_bytes = models.PositiveBigIntegerField(default=0, help_text="What the file unpacks to, as measured.")
    skipped_rows = models.JSONField(
        default=list, blank=True, help_text="[{row, kind, text}] rows that are not data (totals, signatures…)."
    )
    skipped_count = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list,
        blank=True,
        help_text="[{row, col, column, key, value, code, message, severity}], errors then warnings.",
    )
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds spent reading, checking, writing.")
    started_at = models.DateTimeField(null=True, blank=True)
    # The lease of whoever works on a running job: its token, renewed with each sign of life. A job
    # whose lease is older than IMPORT_JOB_LEASE_SECONDS lost its worker and is marked failed.
    lease = models.UUIDField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="The last sign of life of its work.")
    retryable = models.BooleanField(
        default=False, help_text="Failed for a reason trying again may cure (its worker died, an unexpected error)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["unit", "created_at"], name="importjob_unit_created"),
            models.Index(fields=["status", "heartbeat_at"], name="importjob_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return self.original_filename

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", kwargs={"uuid": self.uuid})

    @property
    def importer(self) -> importing.Importer:
        return importing.get(self.kind)

    @property
    def kind_label(self) -> str:
        try:
            return str(self.importer.label)
        except KeyError:
            return self.kind

    def info(self) -> importing.JobInfo:
        """The job as importers see it (they never import this model)."""
        return importing.JobInfo(
            id=self.pk,
            uuid=self.uuid,
            kind=self.kind,
            unit=self.unit,
            school_year_id=self.school_year_id,
            created_by_id=self.created_by_id,
            original_filename=self.original_filename,
            options=self.options,
            check_only=self.check_only,
            only_valid=self.only_valid,
            total_rows=self.total_rows,
        )

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def invalid_rows(self) -> int:
        return self.total_rows - self.valid_rows

    @property
    def problem_count(self) -> int:
        return self.error_count + self.warning_count

    @property
    def problems_truncated(self) -> bool:
        return self.problem_count > len(self.problems)

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.VALIDATED and self.valid_rows > 0

    @property
    def can_retry(self) -> bool:
        """A job that failed for a reason trying again may cure can be checked again from its kept file.

        A file refused for what it holds (no table, a limit passed) fails the same way again: the user
        uploads a corrected one instead.
        """
        return self.status == self.Status.FAILED and self.retryable and bool(self.file)

    @property
    def encoding_label(self) -> str:
        return legacy.ENCODING_LABELS.get(self.encoding, self.encoding)

    def skipped_display(self) -> list[dict[str, object]]:
        """The rows left out, each with what it is, for the job's page."""
        return [{**s, "label": SKIPPED_KIND_LABELS.get(s["kind"], s["kind"])} for s in self.skipped_rows]

    def skipped_summary(self) -> list[str]:
        """One line per kind of row left out: '3 rows of totals or signatures were skipped'."""
        counts: dict[str, int] = {}
        for s in self.skipped_rows:
            group = SKIPPED_GROUPS.get(s["kind"], "other")
            counts[group] = counts.get(group, 0) + 1
        return [SKIPPED_LINES[group](counts[group]) for group in SKIPPED_LINES if group in counts]


# Rows that are not data, grouped as the job's page counts them.
SKIPPED_GROUPS = {
    "total": "totals",
    "signature": "totals",
    "blank": "blank",
    "section": "section",
    "example": "other",
    "numbering": "other",
}
SKIPPED_LINES = {
    "totals": lambda n: (
        ngettext("%(n)s row of totals or signatures was skipped", "%(n)s rows of totals or signatures were skipped", n)
        % {"n": n}
    ),
    "blank": lambda n: (
        ngettext("%(n)s blank row between people was skipped", "%(n)s blank rows between people were skipped", n)
        % {"n": n}
    ),
    "section": lambda n: (
        ngettext("%(n)s group heading (I., II., A…) was skipped", "%(n)s group headings (I., II., A…) were skipped", n)
        % {"n": n}
    ),
    "other": lambda n: (
        ngettext(
            "%(n)s row of column numbers or examples was skipped",
            "%(n)s rows of column numbers or examples were skipped",
            n,
        )
        % {"n": n}
    ),
}
SKIPPED_KIND_LABELS = {
    "total": _("total or subtotal"),
    "signature": _("signature"),
    "blank": _("blank row"),
    "section": _("group heading"),
    "example": _("example"),
    "numbering": _("column numbers"),
}
