"""Writes of the import app: store an upload, check it, write what it holds — for every kind of import.

The life of a job, whatever its kind (`ImportJob.kind` names the importer, see
`bdtx.core.importing.base`): `import_job_create` stores the file and queues its check; the check
(`import_job_validate`, run by a task) reads the stored file once, checks every row and, when the
file is clean (no errors, no warnings) and the user did not ask only for a check, goes straight on
to write it. Otherwise the user reads the problems and confirms (`import_job_confirm`, then
`import_job_run`): all rows when there are only warnings, only the valid rows when there are
errors. Writing happens in one transaction through the importer, with a summary audit entry.

No upload can exhaust the server. The upload request only sniffs the file (`upload_check`: its
type by content, then at most IMPORT_INLINE_MAX_BYTES of it unpacked): a file seen whole in that
sniff with at most IMPORT_BACKGROUND_ROWS rows is checked right after the request's commit, every
other file by the background worker, with a progress bar. What the file declares (its dimension,
its ZIP sizes) decides nothing. The check pass streams the file against the import limits before
reading it (`bdtx.core.importing.bounds`), runs outside any transaction (the database is never
locked while a file is read) and the write pass only writes the records it already checked.

The worker is supervised: a running job holds a lease (a token and `heartbeat_at`, renewed each
time it reports progress); a job whose lease is older than IMPORT_JOB_LEASE_SECONDS lost its worker
(killed, restarted) and `import_jobs_expire` marks it failed, which also stops a worker that only
stalled (its next report finds the lease gone). The user may retry a failed job
(`import_job_retry`): its kept file is checked again from the start. Background work receives ids
and rebuilds the uploader's scope, so a role withdrawn in between stops the job.
"""

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bdtx.accounts.selectors import scope_for_user
from bdtx.core import uploads
from bdtx.core.bulk import planner_statistics_refresh
from bdtx.core.importing import base as importing
from bdtx.core.importing import bounds, csvfile
from bdtx.core.importing.base import Checked, FileProblem, Importer, Problem
from bdtx.core.importing.parsing import Layout, RawRow, Skipped, read_table
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.imports.models import MAX_STORED_PROBLEMS, ImportJob
from bdtx.organisations.models import Unit

logger = logging.getLogger(__name__)

CHECK_UNTIL = 60  # share of the progress bar the check pass fills; writing fills the rest
PROGRESS_EVERY = 500  # rows between progress updates
OBJECT_TYPE = "imports.importjob"


@dataclass(frozen=True)
class UploadSniff:
    """What the upload request learnt of a file without reading it: how it will be checked."""

    inline: bool  # small beyond doubt: checked right after the request, not by the worker
    rows: int  # rows seen by the sniff (all of them when `inline`)


def upload_check(upload: File, *, accepts_csv: bool = False) -> UploadSniff:
    """Refuse, without parsing it, a file that is not an .xlsx workbook (nor, with `accepts_csv`, a
    text file), is too large or passes a limit within what the sniff unpacks (ValidationError); say
    whether it may be checked inline.

    The sniff unpacks at most IMPORT_INLINE_MAX_BYTES: a file seen whole within them, with at most
    IMPORT_BACKGROUND_ROWS rows, is small beyond doubt; any other goes to the worker, whose check
    pass measures all of it.
    """
    max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
    size = upload.size or 0
    if size > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20}, code="size")
    found = uploads.sniff(upload)
    budget = settings.IMPORT_INLINE_MAX_BYTES
    if accepts_csv and csvfile.is_text(upload, found):
        lines = csvfile.inspect(upload, budget=budget)  # counted, not parsed: the worker parses it
        return UploadSniff(inline=lines.complete and lines.rows <= settings.IMPORT_BACKGROUND_ROWS, rows=lines.rows)
    if found.type is None or found.type.key not in uploads.IMPORT_TYPES:
        message = bounds.not_xlsx_message()
        if found.found:
            message = _("This file is %(what)s, not an Excel workbook.") % {"what": found.found} + " " + message
        raise ValidationError(message, code="format")
    try:
        facts = bounds.inspect_xlsx(upload, budget=budget)
    except FileProblem as e:
        raise ValidationError(str(e), code="bounds") from None
    inline = facts.complete and size <= budget and facts.rows <= settings.IMPORT_BACKGROUND_ROWS
    return UploadSniff(inline=inline, rows=facts.rows)


def _update(job: ImportJob, **fields: object) -> None:
    """Save some fields of the job at once, outside any transaction, so other requests see them.

    Work holding the job's lease renews it (`heartbeat_at`) and stops (LeaseLost) when the lease
    was taken from it: the job was marked failed as abandoned, or retried.
    """
    now = timezone.now()
    fields["updated_at"] = now
    jobs = ImportJob.objects.filter(pk=job.pk)
    if job.lease is not None:
        fields["heartbeat_at"] = now
        jobs = jobs.filter(lease=job.lease)
    for name, value in fields.items():
        setattr(job, name, value)
    if not jobs.update(**fields) and job.lease is not None:
        raise LeaseLost(job.pk)


class LeaseLost(Exception):
    """The job is no longer this work's: it was marked failed as abandoned, or retried."""


def _audit(job: ImportJob, action: str, *, actor_id: int | None, **kw: Any) -> None:
    audit_record(
        actor_id=actor_id,
        action=action,
        obj=job,
        object_type=OBJECT_TYPE,
        object_repr=job.original_filename,
        unit_path=job.unit.path,
        **kw,
    )


def import_job_create(
    *,
    scope: Scope,
    kind: str,
    unit: Unit,
    upload: UploadedFile | File,
    school_year: SchoolYear | None = None,
    options: Mapping[str, Any] | None = None,
    check_only: bool = False,
    language: str = "",
) -> ImportJob:
    """Keep the uploaded file with a new job of `kind` for `unit` and queue its check.

    The importer checks the permission (PermissionDenied) and the options (ValidationError by
    field) before anything is stored; the file itself is only sniffed (`upload_check`), and stored
    before the transaction that records the job, so no write lock is held while it is read.
    """
    importer = importing.get(kind)
    importer.check_permission(scope, unit)
    if importer.asks_school_year and school_year is None:
        raise ValidationError({"school_year": _("Choose the school year.")})
    cleaned = importer.clean_options(options or {}, scope=scope)
    sniffed = upload_check(upload, accepts_csv=importer.accepts_csv)
    name = (upload.name or "import.xlsx").rsplit("/", 1)[-1][:255]
    job = ImportJob(
        kind=kind,
        created_by_id=scope.user_id,
        unit=unit,
        school_year=school_year if importer.asks_school_year else None,
        original_filename=name,
        options=cleaned,
        check_only=check_only,
        language=language,
        heartbeat_at=timezone.now(),  # the queue's wait counts against the lease too
    )
    job.file.save(name, upload, save=False)
    try:
        with transaction.atomic():
            job.save()
            _audit(job, importer.upload_action, actor_id=scope.user_id, note=importer.upload_note(job.info()))
            _dispatch("import_validate", job.pk, inline=sniffed.inline)
    except BaseException:
        job.file.delete(save=False)
        raise
    return job


@transaction.atomic
def import_job_confirm(*, scope: Scope, job: ImportJob, only_valid: bool) -> ImportJob:
    """The user chose to write the file (only its valid rows, when it has errors): queue the run."""
    job = ImportJob.objects.select_for_update().select_related("unit").get(pk=job.pk)
    importer = job.importer
    importer.check_permission(scope, job.unit)
    if job.status != ImportJob.Status.VALIDATED or job.valid_rows == 0:
        raise ValidationError(_("This file cannot be imported now."))
    if job.error_count and not only_valid:
        raise ValidationError(_("The file has errors: correct them, or choose to import only the valid rows."))
    job.status = ImportJob.Status.IMPORTING
    job.only_valid = only_valid
    job.progress = 0
    job.message = ""
    job.lease = None
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "only_valid", "progress", "message", "lease", "heartbeat_at", "updated_at"])
    _audit(job, importer.confirm_action, actor_id=scope.user_id, note="only valid rows" if only_valid else "")
    _dispatch("import_run", job.pk, only_valid, inline=_small(job))
    return job


def _small(job: ImportJob) -> bool:
    """Whether the check pass measured the job's file small enough to run again right after a request."""
    return (
        0 < job.inflated_bytes <= settings.IMPORT_INLINE_MAX_BYTES and job.total_rows <= settings.IMPORT_BACKGROUND_ROWS
    )


def _dispatch(name: str, *args: object, inline: bool) -> None:
    """After commit, run a task right away (a file known small) or in the background worker."""
    from bdtx.imports import tasks

    task = getattr(tasks, name)
    if inline:
        transaction.on_commit(lambda: task.call(*args), robust=True)  # a failure is recorded on the job
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


@transaction.atomic
def import_job_retry(*, scope: Scope, job: ImportJob) -> ImportJob:
    """Check a failed job's kept file again from the start (a worker died, the database was busy…).

    Nothing of the failed attempt was written (writing is all or nothing), so the job starts over
    as if just uploaded, with what the user chose then; its problems and counts are cleared.
    """
    job = ImportJob.objects.select_for_update().select_related("unit").get(pk=job.pk)
    importer = job.importer
    importer.check_permission(scope, job.unit)
    if not job.can_retry:
        raise ValidationError(_("Only an import stopped by its worker or by an unexpected error can be tried again."))
    try:
        with job.file.open("rb") as kept:
            inline = upload_check(kept, accepts_csv=importer.accepts_csv).inline
    except (OSError, ValidationError):
        raise ValidationError(_("The uploaded file is no longer readable: upload it again.")) from None
    before = job.message
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.UPLOADED,
        progress=0,
        message="",
        retryable=False,
        only_valid=False,
        lease=None,
        heartbeat_at=timezone.now(),
        started_at=None,
        finished_at=None,
        total_rows=0,
        valid_rows=0,
        error_count=0,
        warning_count=0,
        created_count=0,
        updated_count=0,
        problems=[],
        skipped_rows=[],
        skipped_count=0,
        timings={},
        updated_at=timezone.now(),
    )
    _audit(job, "import_job.retry", actor_id=scope.user_id, note=importer.key, changes={"message": [before, ""]})
    _dispatch("import_validate", job.pk, inline=inline)
    job.refresh_from_db()
    return job


def import_jobs_expire(*, job: ImportJob | None = None) -> int:
    """Mark failed the running jobs (or `job`, if it is one) whose lease ran out: their worker is gone.

    Called when a job's page or the list is shown, by the worker before each import task, and by
    `manage.py import_jobs_expire` (a timer). Returns how many were marked. Each marked job takes
    its lease away, so a worker that was only stalled stops at its next report.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.IMPORT_JOB_LEASE_SECONDS)
    if job is not None and not (job.is_running and job.heartbeat_at is not None and job.heartbeat_at < cutoff):
        return 0
    stale = ImportJob.objects.filter(status__in=ImportJob.RUNNING, heartbeat_at__lt=cutoff)
    if job is not None:
        stale = stale.filter(pk=job.pk)
    marked = 0
    minutes = max(1, round(settings.IMPORT_JOB_LEASE_SECONDS / 60))
    for found in stale.select_related("unit").only(
        "pk", "uuid", "status", "progress", "heartbeat_at", "original_filename", "language", "unit__path", "kind"
    ):
        with translation.override(found.language or settings.LANGUAGE_CODE):
            message = _(
                "The import stopped at %(progress)s %%: the background worker gave no sign of life for %(minutes)s "
                "minutes (it was stopped or restarted, or never took the file up). Nothing was written. "
                "You can try again."
            ) % {"progress": found.progress, "minutes": minutes}
        with transaction.atomic():
            done = ImportJob.objects.filter(pk=found.pk, status=found.status, heartbeat_at=found.heartbeat_at).update(
                status=ImportJob.Status.FAILED,
                message=message,
                retryable=True,
                lease=None,
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            if done:
                marked += 1
                logger.warning("import job %s abandoned by its worker at %s %%", found.pk, found.progress)
                _audit(
                    found,
                    "import_job.abandon",
                    actor_id=None,
                    source=AuditLog.Source.SYSTEM,
                    note=found.kind,
                    changes={"status": [found.status, ImportJob.Status.FAILED]},
                )
    return marked


def import_job_validate(*, job_id: int) -> ImportJob:
    """Check every row of the job's file; when it is clean (and not "check only"), write it.

    Run by the `import_validate` task. Does nothing unless the job is waiting to be checked; takes
    the job's lease first, so two workers never check the same job.
    """
    lease, now = uuid.uuid4(), timezone.now()
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.VALIDATING, started_at=now, progress=0, updated_at=now, lease=lease, heartbeat_at=now
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("unit", "school_year", "created_by").get(pk=job_id)
    return _guarded(job, lambda scope: _validate(job, scope))


def import_job_run(*, job_id: int, only_valid: bool) -> ImportJob:
    """Check the file again (the database may have changed) and write its valid rows.

    Run by the `import_run` task after `import_job_confirm`, once: it takes the job's lease first.
    """
    lease, now = uuid.uuid4(), timezone.now()
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING, lease=None).update(
        lease=lease, heartbeat_at=now, updated_at=now
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("unit", "school_year", "created_by").get(pk=job_id)
    return _guarded(job, lambda scope: _run(job, scope, only_valid=only_valid))


def _guarded(job: ImportJob, work: Callable[[Scope], None]) -> ImportJob:
    """Rebuild the uploader's scope, do the work, and record any failure on the job."""
    try:
        scope = scope_for_user(job.created_by) if job.created_by and job.created_by.is_active else None
        try:
            if scope is None:
                raise PermissionDenied
            job.importer.check_permission(scope, job.unit)
        except PermissionDenied:
            raise FileProblem(_("You may no longer import this kind of file into this unit.")) from None
        work(scope)
    except LeaseLost:
        logger.warning("import job %s: its lease was taken (marked abandoned, or retried); stopping", job.pk)
        job.refresh_from_db()
    except FileProblem as e:
        _fail(job, str(e))
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _fail(job, _("The import stopped because of an unexpected error. Nothing was written."), retryable=True)
        raise
    return job


def _fail(job: ImportJob, message: str, *, retryable: bool = False) -> None:
    """Record the failure and give the lease up (unless the job is no longer this work's)."""
    try:
        _update(job, status=ImportJob.Status.FAILED, message=message, finished_at=timezone.now(), retryable=retryable)
    except LeaseLost:
        return
    if job.lease is not None:
        ImportJob.objects.filter(pk=job.pk, lease=job.lease).update(lease=None)
        job.lease = None


def _validate(job: ImportJob, scope: Scope) -> None:
    result = import_job_check(job=job, scope=scope)
    _record_check(job, result)
    if result.problems or job.check_only or not result.records:
        _update(job, status=ImportJob.Status.VALIDATED, progress=100, finished_at=timezone.now())
        _release(job)
        return
    _update(job, status=ImportJob.Status.IMPORTING, progress=CHECK_UNTIL)
    _write(job, result, scope)


def _run(job: ImportJob, scope: Scope, *, only_valid: bool) -> None:
    result = import_job_check(job=job, scope=scope)
    _record_check(job, result)
    if result.errors and not only_valid:
        raise FileProblem(_("The file no longer passes the checks. See the errors, then choose again."))
    if not result.records:
        raise FileProblem(_("No valid rows are left to import."))
    _write(job, result, scope)


# --- the check pass ------------------------------------------------------------------------------


@dataclass
class CheckResult:
    """What checking a file found: the records ready to write and every problem."""

    layout: Layout | None = None
    total: int = 0
    records: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)  # rows that are not data, left out
    inflated: int = 0  # bytes the file unpacked to

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.is_error)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


class _Clock:
    """Seconds spent reading the workbook, as opposed to checking what was read."""

    def __init__(self) -> None:
        self.read = 0.0

    def timed(self, rows: Iterator[RawRow]) -> Iterator[RawRow]:
        clock = time.perf_counter
        while True:
            t = clock()
            try:
                row = next(rows)
            except StopIteration:
                self.read += clock() - t
                return
            self.read += clock() - t
            yield row


def import_job_check(*, job: ImportJob, scope: Scope) -> CheckResult:
    """Read the job's stored file (opened once) and check every row with the job's importer.

    The file is first streamed against the import limits (FileProblem past one, naming it). Rows
    are streamed: each is checked as it is read, and progress moves from 0 to CHECK_UNTIL by row
    number. With an error in the file as a whole (a required column missing) the rows are counted
    but not checked. FileProblem when there is no table, no row, or too many rows.

    Runs outside any transaction (it only reads), so no lock is held while a file is read.
    """
    importer: Importer[Any, Any] = job.importer
    info = job.info()
    result = CheckResult()
    clock = _Clock()
    started = time.perf_counter()
    max_rows = settings.IMPORT_MAX_ROWS
    checked: list[Checked[Any]] = []
    with job.file.open("rb") as fh:
        t = time.perf_counter()
        table = read_table(
            fh,
            importer.fields_for(info),
            required_any=importer.required_any,
            not_found=str(importer.no_table_message),
            accepts_csv=importer.accepts_csv,
        )
        clock.read += time.perf_counter() - t
        result.layout = table.layout
        ctx = importer.prepare(info, scope, table.layout)
        result.problems = importer.layout_problems(table.layout, ctx)
        blocked = any(p.is_error for p in result.problems)
        for raw in clock.timed(_with_progress(job, table.rows, table.last_row, 0, CHECK_UNTIL)):
            result.total += 1
            if result.total > max_rows:
                raise FileProblem(bounds.too_many_rows(table.layout.sheet, bounds.Limits.from_settings()))
            if not blocked:
                checked.append(importer.check_row(raw, ctx))
    result.skipped = table.skipped
    result.inflated = table.facts.inflated
    if not result.total:
        raise FileProblem(_("The table has no rows under its header."))
    importer.check_file(checked, ctx)
    for c in checked:
        result.problems.extend(c.problems)
        if c.valid:
            result.records.append(c.record)
    total = time.perf_counter() - started
    result.timings = {"read": round(clock.read, 3), "check": round(total - clock.read, 3)}
    return result


def _with_progress(job: ImportJob, rows: Iterator[RawRow], last: int, start: int, end: int) -> Iterator[RawRow]:
    """Pass rows through, moving the job's progress from `start` to `end` by row number."""
    shown = start
    for n, row in enumerate(rows, start=1):
        if n % PROGRESS_EVERY == 0:
            pct = start + (end - start) * min(row.number, last) // max(last, 1)
            if pct > shown:
                shown = pct
                _update(job, progress=pct)
        yield row


def _record_check(job: ImportJob, result: CheckResult) -> None:
    layout = result.layout
    found = {c.key: (i, c) for i, c in enumerate(layout.columns)} if layout else {}
    never = len(found)

    def order(p: Problem) -> tuple[bool, int, int]:
        return (not p.is_error, p.row, found[p.key][0] if p.key in found else never)

    problems = sorted(result.problems, key=order)[:MAX_STORED_PROBLEMS]
    stored = []
    for p in problems:
        column = found[p.key][1] if p.key in found else None
        stored.append(
            {
                "row": p.row,
                "col": column.letter if column else "",
                "column": column.header if column else "",
                "key": p.key,
                "value": p.value,
                "code": p.code,
                "message": p.message,
                "severity": p.severity,
            }
        )
    _update(
        job,
        sheet=layout.sheet if layout else "",
        header_rows="–".join(str(n) for n in layout.header_rows) if layout else "",
        columns=[{"letter": c.letter, "header": c.header, "key": c.key} for c in layout.columns] if layout else [],
        ignored_columns=layout.ignored if layout else [],
        legacy_encoding=bool(layout and layout.legacy),
        encoding=layout.encoding if layout else "",
        inflated_bytes=result.inflated,
        skipped_rows=[{"row": s.row, "kind": s.kind, "text": s.text} for s in result.skipped[:MAX_STORED_PROBLEMS]],
        skipped_count=len(result.skipped),
        total_rows=result.total,
        valid_rows=len(result.records),
        error_count=result.errors,
        warning_count=result.warnings,
        problems=stored,
        timings=result.timings,
        progress=CHECK_UNTIL,
    )


# --- writing -------------------------------------------------------------------------------------


def _write(job: ImportJob, result: CheckResult, scope: Scope) -> None:
    """Write the valid records through the importer; nothing is written unless all of it is."""
    importer = job.importer
    started = time.perf_counter()
    with transaction.atomic():
        _update(job, progress=max(job.progress, CHECK_UNTIL))  # still this work's: the write may begin
        written = importer.write(job.info(), result.records, scope=scope)
        timings = {**result.timings, "write": round(time.perf_counter() - started, 3)}
        _update(
            job,
            status=ImportJob.Status.DONE,
            progress=100,
            created_count=written.created,
            updated_count=written.updated,
            options={**job.options, **written.options},
            timings=timings,
            finished_at=timezone.now(),
        )
        _audit(
            job,
            importer.write_action,
            actor_id=job.created_by_id,
            source=AuditLog.Source.IMPORT,
            changes={
                "rows": job.total_rows,
                "written": len(result.records),
                "created": written.created,
                "updated": written.updated,
                "skipped": job.total_rows - len(result.records),
                **written.changes,
            },
            note=written.note or ("only valid rows" if job.only_valid else ""),
        )
    _release(job)
    if written.created + written.updated >= settings.IMPORT_ANALYZE_ROWS:
        planner_statistics_refresh()  # committed: the next pages and summaries plan with the new rows


def _release(job: ImportJob) -> None:
    """The work on the job is over: give its lease up."""
    if job.lease is not None:
        ImportJob.objects.filter(pk=job.pk, lease=job.lease).update(lease=None)
        job.lease = None
