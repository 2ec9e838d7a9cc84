"""Writes of the import app: store an upload, check it, write what it holds — for every kind of import.

The life of a job, whatever its kind (`ImportJob.kind` names the importer, see
`bdtx.core.importing.base`): `import_job_create` stores the file and queues its check; the check
(`import_job_validate`, run by a task) reads the stored file once, checks every row and, when the
file is clean (no errors, no warnings) and the user did not ask only for a check, goes straight on
to write it. Otherwise the user reads the problems and confirms (`import_job_confirm`, then
`import_job_run`): all rows when there are only warnings, only the valid rows when there are
errors. Writing happens in one transaction through the importer, with a summary audit entry.

Small files are checked and written right after the request's commit; files of more than
IMPORT_BACKGROUND_ROWS rows by the background worker, with a progress bar. Background work
receives ids and rebuilds the uploader's scope, so a role withdrawn in between stops the job.
"""

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.importing import base as importing
from bdtx.core.importing.base import Checked, FileProblem, Importer, Problem
from bdtx.core.importing.parsing import Layout, RawRow, inspect_xlsx, read_table
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.imports.models import MAX_STORED_PROBLEMS, ImportJob
from bdtx.organisations.models import Unit

logger = logging.getLogger(__name__)

CHECK_UNTIL = 60  # share of the progress bar the check pass fills; writing fills the rest
PROGRESS_EVERY = 500  # rows between progress updates
OBJECT_TYPE = "imports.importjob"


def upload_check(upload: UploadedFile) -> int | None:
    """Refuse, without parsing it, a file that is not an .xlsx workbook, is too large or has too many
    rows (ValidationError); return the rows its largest sheet declares (None if it declares none)."""
    max_bytes = settings.IMPORT_MAX_UPLOAD_BYTES
    if upload.size and upload.size > max_bytes:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": max_bytes // 2**20}, code="size")
    try:
        rows = inspect_xlsx(upload)
    except FileProblem as e:
        raise ValidationError(str(e), code="format") from None
    if rows is not None and rows > settings.IMPORT_MAX_ROWS:
        raise ValidationError(_too_many_rows(rows), code="rows")
    return rows


def _too_many_rows(rows: int) -> str:
    return _(
        "The file has %(rows)s rows; at most %(max)s rows can be imported at once. Split it into several files."
    ) % {
        "rows": f"{rows:,}".replace(",", "."),
        "max": f"{settings.IMPORT_MAX_ROWS:,}".replace(",", "."),
    }


def _update(job: ImportJob, **fields: object) -> None:
    """Save some fields of the job at once, outside any transaction, so other requests see them."""
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


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


@transaction.atomic
def import_job_create(
    *,
    scope: Scope,
    kind: str,
    unit: Unit,
    upload: UploadedFile,
    school_year: SchoolYear | None = None,
    options: Mapping[str, Any] | None = None,
    check_only: bool = False,
    language: str = "",
) -> ImportJob:
    """Keep the uploaded file with a new job of `kind` for `unit` and queue its check.

    The importer checks the permission (PermissionDenied) and the options (ValidationError by
    field) before anything is stored; the file itself is only inspected (`upload_check`).
    """
    importer = importing.get(kind)
    importer.check_permission(scope, unit)
    if importer.asks_school_year and school_year is None:
        raise ValidationError({"school_year": _("Choose the school year.")})
    cleaned = importer.clean_options(options or {}, scope=scope)
    rows = upload_check(upload)
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
    )
    job.file.save(name, upload, save=False)
    job.save()
    _audit(job, importer.upload_action, actor_id=scope.user_id, note=importer.upload_note(job.info()))
    _dispatch("import_validate", job.pk, rows=rows)
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
    job.save(update_fields=["status", "only_valid", "progress", "message", "updated_at"])
    _audit(job, importer.confirm_action, actor_id=scope.user_id, note="only valid rows" if only_valid else "")
    _dispatch("import_run", job.pk, only_valid, rows=job.total_rows)
    return job


def _dispatch(name: str, *args: object, rows: int | None) -> None:
    """After commit, run a task in the background, or right away for files up to IMPORT_BACKGROUND_ROWS rows."""
    from bdtx.imports import tasks

    task = getattr(tasks, name)
    if rows is None or rows > settings.IMPORT_BACKGROUND_ROWS:
        transaction.on_commit(lambda: task.enqueue(*args))
    else:
        transaction.on_commit(lambda: task.call(*args), robust=True)  # a failure is recorded on the job


def import_job_validate(*, job_id: int) -> ImportJob:
    """Check every row of the job's file; when it is clean (and not "check only"), write it.

    Run by the `import_validate` task. Does nothing unless the job is waiting to be checked.
    """
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.VALIDATING, started_at=timezone.now(), progress=0, updated_at=timezone.now()
    ):
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("unit", "school_year", "created_by").get(pk=job_id)
    return _guarded(job, lambda scope: _validate(job, scope))


def import_job_run(*, job_id: int, only_valid: bool) -> ImportJob:
    """Check the file again (the database may have changed) and write its valid rows.

    Run by the `import_run` task after `import_job_confirm`.
    """
    job = ImportJob.objects.select_related("unit", "school_year", "created_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job
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
    except FileProblem as e:
        _update(job, status=ImportJob.Status.FAILED, message=str(e), finished_at=timezone.now())
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _update(
            job,
            status=ImportJob.Status.FAILED,
            message=_("The import stopped because of an unexpected error. Nothing was written."),
            finished_at=timezone.now(),
        )
        raise
    return job


def _validate(job: ImportJob, scope: Scope) -> None:
    result = import_job_check(job=job, scope=scope)
    _record_check(job, result)
    if result.problems or job.check_only or not result.records:
        _update(job, status=ImportJob.Status.VALIDATED, progress=100, finished_at=timezone.now())
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

    Rows are streamed: each is checked as it is read, and progress moves from 0 to CHECK_UNTIL by
    row number. With an error in the file as a whole (a required column missing) the rows are
    counted but not checked. FileProblem when there is no table, no row, or too many rows.
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
            fh, importer.fields, required_any=importer.required_any, not_found=str(importer.no_table_message)
        )
        clock.read += time.perf_counter() - t
        result.layout = table.layout
        ctx = importer.prepare(info, scope, table.layout)
        result.problems = importer.layout_problems(table.layout, ctx)
        blocked = any(p.is_error for p in result.problems)
        for raw in clock.timed(_with_progress(job, table.rows, table.last_row, 0, CHECK_UNTIL)):
            result.total += 1
            if result.total > max_rows:
                raise FileProblem(_too_many_rows(table.last_row))
            if not blocked:
                checked.append(importer.check_row(raw, ctx))
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
