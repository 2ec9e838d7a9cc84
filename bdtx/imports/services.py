"""Writes of the import app: store an upload, check it, write the staff it holds.

The life of a job: `import_job_create` stores the file and queues the check; the check
(`import_job_validate`, run by a task) reads and checks every row and, when the file is clean,
goes straight on to write it; otherwise the user sees the errors and may choose to write only the
valid rows (`import_job_confirm`, then `import_job_run`). Writing happens in one transaction
through `staff_bulk_upsert`, with a summary audit entry for the job.

Background work receives ids and rebuilds the uploader's scope, so a role withdrawn in between
stops the job.
"""

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope, path_within_q
from bdtx.core.services import audit_record
from bdtx.imports.models import MAX_STORED_ERRORS, ImportJob
from bdtx.imports.parsing import FileProblem, Layout, RawRow, estimate_rows, read_table
from bdtx.imports.staff import (
    FIELDS,
    NAME_KEYS,
    CheckedRow,
    Problem,
    StaffCheckContext,
    UnitRef,
    check_row,
    duplicate_id_problems,
    file_problems,
)
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.models import Employment
from bdtx.people.selectors import ethnicity_index
from bdtx.people.services import StaffRow, staff_bulk_upsert

logger = logging.getLogger(__name__)

# Share of the progress bar each phase fills: reading, checking, then writing to 100.
READ_UNTIL, CHECK_UNTIL = 30, 60
PROGRESS_EVERY = 500  # rows between progress updates
LOOKUP_CHUNK = 5000
SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)


@dataclass
class CheckResult:
    """What checking a file found: the records ready to write and every problem."""

    layout: Layout | None = None
    total: int = 0
    records: list[StaffRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def error_rows(self) -> int:
        return len({p.row for p in self.problems if p.row})


def _update(job: ImportJob, **fields: object) -> None:
    """Save some fields of the job at once, outside any transaction, so other requests see them."""
    fields["updated_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, path=unit.path, levels=tuple(unit.level_list))


@transaction.atomic
def import_job_create(
    *,
    actor_id: int,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    upload: UploadedFile,
    check_only: bool = False,
    language: str = "",
) -> ImportJob:
    """Keep the uploaded file with a new job for `unit` and queue its check."""
    scope.require(Perm.PEOPLE_IMPORT, unit.path)
    name = (upload.name or "import.xlsx").rsplit("/", 1)[-1][:255]
    job = ImportJob(
        created_by_id=actor_id,
        unit=unit,
        school_year=school_year,
        original_filename=name,
        check_only=check_only,
        language=language,
    )
    job.file.save(name, upload, save=False)
    job.save()
    audit_record(
        actor_id=actor_id,
        action="import.upload",
        obj=job,
        object_type="imports.importjob",
        object_repr=name,
        unit_path=unit.path,
        note=f"{job.kind}, {school_year}",
    )
    with job.file.open("rb") as fh:
        rows = estimate_rows(fh)
    _dispatch("import_validate", job.pk, rows=rows)
    return job


@transaction.atomic
def import_job_confirm(*, actor_id: int, scope: Scope, job: ImportJob, only_valid: bool) -> ImportJob:
    """The user chose to write the file (only its valid rows, when it has errors): queue the run."""
    scope.require(Perm.PEOPLE_IMPORT, job.unit.path)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.VALIDATED or job.valid_rows == 0:
        raise ValidationError(_("This file cannot be imported now."))
    if job.error_count and not only_valid:
        raise ValidationError(_("The file has errors: correct them, or choose to import only the valid rows."))
    job.status = ImportJob.Status.IMPORTING
    job.only_valid = only_valid
    job.progress = 0
    job.message = ""
    job.save(update_fields=["status", "only_valid", "progress", "message", "updated_at"])
    audit_record(
        actor_id=actor_id,
        action="import.confirm",
        obj=job,
        object_type="imports.importjob",
        object_repr=job.original_filename,
        unit_path=job.unit.path,
        note="only valid rows" if only_valid else "",
    )
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
        if scope is None or not scope.has(Perm.PEOPLE_IMPORT, job.unit.path):
            raise FileProblem(_("You may no longer import staff into this unit."))
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
    result = staff_file_check(job=job, scope=scope)
    _record_check(job, result)
    if result.problems or job.check_only or not result.records:
        _update(job, status=ImportJob.Status.VALIDATED, progress=100, finished_at=timezone.now())
        return
    _update(job, status=ImportJob.Status.IMPORTING, progress=CHECK_UNTIL)
    _write(job, result, scope)


def _run(job: ImportJob, scope: Scope, *, only_valid: bool) -> None:
    result = staff_file_check(job=job, scope=scope)
    _record_check(job, result)
    if result.problems and not only_valid:
        raise FileProblem(_("The file no longer passes the checks. See the errors, then choose again."))
    if not result.records:
        raise FileProblem(_("No valid rows are left to import."))
    _write(job, result, scope)


def _record_check(job: ImportJob, result: CheckResult) -> None:
    layout = result.layout
    letters = {c.key: (c.letter, c.header) for c in layout.columns} if layout else {}
    problems = sorted(result.problems, key=lambda p: (p.row, letters.get(p.key, ("ZZZ", ""))[0]))
    errors = [
        {
            "row": p.row,
            "col": letters.get(p.key, ("", ""))[0],
            "column": letters.get(p.key, ("", p.key))[1],
            "key": p.key,
            "value": p.value,
            "code": p.code,
            "message": p.message,
        }
        for p in problems[:MAX_STORED_ERRORS]
    ]
    _update(
        job,
        sheet=layout.sheet if layout else "",
        header_rows="–".join(str(n) for n in layout.header_rows) if layout else "",
        columns=[{"letter": c.letter, "header": c.header, "key": c.key} for c in layout.columns] if layout else [],
        ignored_columns=layout.ignored if layout else [],
        legacy_encoding=bool(layout and layout.legacy),
        total_rows=result.total,
        valid_rows=len(result.records),
        error_count=len(result.problems),
        errors=errors,
        timings=result.timings,
        progress=CHECK_UNTIL,
    )


def _write(job: ImportJob, result: CheckResult, scope: Scope) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        created, updated = staff_bulk_upsert(
            scope=scope,
            school_year=job.school_year,
            rows=result.records,
            source=AuditLog.Source.IMPORT,
            note=f"import {job.uuid}",
        )
        timings = {**result.timings, "write": round(time.perf_counter() - started, 3)}
        _update(
            job,
            status=ImportJob.Status.DONE,
            progress=100,
            created_count=created,
            updated_count=updated,
            timings=timings,
            finished_at=timezone.now(),
        )
        audit_record(
            actor_id=job.created_by_id,
            action="import.staff",
            obj=job,
            object_type="imports.importjob",
            object_repr=job.original_filename,
            unit_path=job.unit.path,
            source=AuditLog.Source.IMPORT,
            changes={
                "rows": job.total_rows,
                "written": len(result.records),
                "created": created,
                "updated": updated,
                "skipped": job.total_rows - len(result.records),
                "school_year": job.school_year_id,
            },
            note="only valid rows" if job.only_valid else "",
        )


def staff_file_check(*, job: ImportJob, scope: Scope) -> CheckResult:
    """Read the job's file and check every row against the rules and the uploader's scope.

    Progress moves from 0 to 30 while reading and to 60 while checking.
    """
    result = CheckResult()
    default_unit = _unit_ref(job.unit) if job.unit.is_school_like else None
    t0 = time.perf_counter()
    with job.file.open("rb") as fh:
        table = read_table(fh, FIELDS, required_any=NAME_KEYS)
        result.layout = layout = table.layout
        raws = list(_with_progress(job, table.rows, table.last_row, 0, READ_UNTIL))
    t1 = time.perf_counter()
    if not raws:
        raise FileProblem(_("The table has no rows under its header."))
    result.total = len(raws)
    result.problems = file_problems(layout, default_unit=default_unit)
    if result.problems:
        result.timings = {"read": round(t1 - t0, 3)}
        return result
    ctx = StaffCheckContext(
        layout=layout, ethnicities=ethnicity_index(), default_unit=default_unit, today=timezone.localdate()
    )
    checked = [check_row(raw, ctx) for raw in _with_progress(job, iter(raws), raws[-1].number, READ_UNTIL, CHECK_UNTIL)]
    del raws
    _resolve_units(checked, job=job, scope=scope, default_unit=default_unit)
    _guard_people_outside_scope(checked, job=job, scope=scope)
    by_number = {c.number: c for c in checked}
    for p in duplicate_id_problems(checked):
        by_number[p.row].problems.append(p)
        by_number[p.row].record = None
    for c in checked:
        result.problems.extend(c.problems)
        if c.record is not None and not c.problems:
            result.records.append(c.record)
    result.timings = {"read": round(t1 - t0, 3), "check": round(time.perf_counter() - t1, 3)}
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


def _resolve_units(checked: list[CheckedRow], *, job: ImportJob, scope: Scope, default_unit: UnitRef | None) -> None:
    """Turn unit codes into units the uploader may import into; anything else is one opaque error."""
    codes = {c.unit_code for c in checked if c.unit_code}
    allowed: dict[str, UnitRef] = {}
    code_list = sorted(codes)
    for i in range(0, len(code_list), LOOKUP_CHUNK):
        units = (
            Unit.objects.within(job.unit.path)
            .filter(dissolved_on__isnull=True)
            .filter(kind__in=SCHOOL_KINDS)
            .annotate(ucode=Upper("code"))
            .filter(ucode__in=code_list[i : i + LOOKUP_CHUNK])
            .only("pk", "path", "levels", "code")
        )
        for u in units:
            if scope.has(Perm.PEOPLE_IMPORT, u.path):
                allowed[u.code.upper()] = _unit_ref(u)
    for c in checked:
        unit = allowed.get(c.unit_code) if c.unit_code else default_unit
        if unit is None:
            if c.unit_code:
                message = _("Unknown unit code, or a unit you may not import into.")
                code = "unit.unknown"
            else:
                message = _("The unit code is missing.")
                code = "unit.missing"
            c.problems.append(Problem(c.number, "unit_code", c.unit_code, code, message))
            c.record = None
            continue
        if c.record is not None:
            c.record.unit_id = unit.id
            if not c.record.school_level and len(unit.levels) == 1:
                c.record.school_level = unit.levels[0]


def _guard_people_outside_scope(checked: list[CheckedRow], *, job: ImportJob, scope: Scope) -> None:
    """A person this school year at a unit the uploader may not import into stays where they are."""
    by_id: dict[str, CheckedRow] = {
        c.record.personal_id: c for c in checked if c.record is not None and c.record.personal_id
    }
    ids = sorted(by_id)
    inside = path_within_q("unit__path", scope.paths(Perm.PEOPLE_IMPORT), connection.vendor)
    for i in range(0, len(ids), LOOKUP_CHUNK):
        rows = (
            Employment.objects.filter(school_year=job.school_year, person__personal_id__in=ids[i : i + LOOKUP_CHUNK])
            .exclude(inside)
            .order_by()
            .values_list("person__personal_id", "unit__path")
        )
        for pid, path in rows:
            if pid and not scope.has(Perm.PEOPLE_IMPORT, path):
                c = by_id[pid]
                c.problems.append(
                    Problem(
                        c.number,
                        "personal_id",
                        pid,
                        "person.outside_scope",
                        _(
                            "This person works at a unit outside your scope this school year; "
                            "ask that unit to transfer them."
                        ),
                    )
                )
                c.record = None
