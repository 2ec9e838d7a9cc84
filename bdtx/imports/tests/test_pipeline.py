"""Every kind of import goes through the same pipeline: store → check → (confirm) → write, audited,
in the background with a progress bar for big files, all or nothing, the upload kept."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage
from python_calamine import CalamineWorkbook

from bdtx.core.importing import base as importing
from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.imports import services
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.kinds import KINDS, case

pytestmark = pytest.mark.django_db
VIETNAMESE = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]")


@pytest.fixture(params=KINDS)
def kind(request, world):  # type: ignore[no-untyped-def]
    return case(request.param, world)


def _actions(job: ImportJob) -> list[str]:
    return list(AuditLog.objects.filter(object_uuid=job.uuid).order_by("id").values_list("action", flat=True))


def test_a_clean_file_is_checked_and_written_at_once_with_its_audit_and_the_upload_kept(kind):
    before = kind.written()
    job = kind.upload(kind.clean)
    assert (job.status, job.progress, job.error_count, job.warning_count) == (ImportJob.Status.DONE, 100, 0, 0)
    assert (job.total_rows, job.valid_rows, job.created_count + job.updated_count) == (kind.clean_rows,) * 3
    assert kind.written() == before + job.created_count
    importer = importing.get(kind.kind)
    assert _actions(job) == [importer.upload_action, importer.write_action]
    summary = AuditLog.objects.get(object_uuid=job.uuid, action=importer.write_action)
    assert (summary.source, summary.changes["written"]) == (AuditLog.Source.IMPORT, kind.clean_rows)
    with job.file.open("rb") as kept:
        assert kept.read() == kind.clean
    assert set(job.timings) == {"read", "check", "write"} and job.started_at and job.finished_at


def test_each_error_names_its_row_its_column_and_what_is_wrong_in_vietnamese(kind):
    before = kind.written()
    job = kind.upload(kind.messy)
    assert job.status == ImportJob.Status.VALIDATED and kind.written() == before
    assert (job.valid_rows, job.error_count) == (kind.messy_valid, kind.messy_errors)
    errors = [p for p in job.problems if p["severity"] == "error"]
    assert len(errors) == kind.messy_errors
    for p in errors:
        assert p["row"] > 0 and p["code"] and VIETNAMESE.search(p["message"].lower()), p
    assert any(re.fullmatch(r"[A-Z]+", p["col"]) and p["column"] for p in errors)


def test_after_confirmation_only_the_valid_rows_are_written(kind):
    before = kind.written()
    job = kind.confirm(kind.upload(kind.messy), only_valid=True)
    assert (job.status, job.progress, job.created_count + job.updated_count) == (
        ImportJob.Status.DONE,
        100,
        kind.messy_valid,
    )
    assert kind.written() == before + job.created_count
    importer = importing.get(kind.kind)
    assert _actions(job) == [importer.upload_action, importer.confirm_action, importer.write_action]


def test_check_only_writes_nothing_until_confirmed(kind):
    before = kind.written()
    job = kind.upload(kind.clean, check_only=True)
    assert (job.status, kind.written()) == (ImportJob.Status.VALIDATED, before)
    job = kind.confirm(job, only_valid=False)
    assert job.status == ImportJob.Status.DONE and kind.written() == before + job.created_count


def test_big_files_are_checked_and_written_by_the_worker_with_a_rising_progress_bar(
    kind, settings, monkeypatch, enqueued
):
    settings.IMPORT_BACKGROUND_ROWS = 0
    monkeypatch.setattr(services, "PROGRESS_EVERY", 1)
    shown: list[int] = []
    update = services._update

    def watch(job, **fields):  # type: ignore[no-untyped-def]
        if "progress" in fields:
            shown.append(int(fields["progress"]))  # type: ignore[call-overload]
        update(job, **fields)

    monkeypatch.setattr(services, "_update", watch)
    job = kind.upload(kind.messy)
    assert enqueued == ["import_validate"] and job.status == ImportJob.Status.VALIDATED
    assert any(0 < p < services.CHECK_UNTIL for p in shown)  # the bar moves while the rows are checked
    assert shown == sorted(shown) and shown[-1] == 100
    shown.clear()
    job = kind.confirm(job, only_valid=True)
    assert enqueued == ["import_validate", "import_run"] and job.status == ImportJob.Status.DONE
    assert shown[-1] == 100 and services.CHECK_UNTIL in shown


def test_nothing_is_half_written_when_the_write_fails(kind, monkeypatch):
    importer = importing.get(kind.kind)
    write = type(importer).write

    def write_then_fail(self, job, records, *, scope):  # type: ignore[no-untyped-def]
        write(self, job, records, scope=scope)  # everything is written, then something breaks
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(importer), "write", write_then_fail)
    before, audit = kind.written(), AuditLog.objects.count()
    job = kind.upload(kind.clean)
    assert job.status == ImportJob.Status.FAILED and "Chưa có dữ liệu nào được ghi" in job.message
    assert kind.written() == before
    assert AuditLog.objects.count() == audit + 1  # the upload only
    with job.file.open("rb") as kept:
        assert kept.read() == kind.clean


def test_the_stored_file_is_opened_and_read_once_per_pass(kind, monkeypatch):
    opened: list[str] = []
    read: list[object] = []
    storage_open = InMemoryStorage._open
    from_filelike = CalamineWorkbook.from_filelike

    def count_open(self, name, mode="rb"):  # type: ignore[no-untyped-def]
        opened.append(name)
        return storage_open(self, name, mode)

    def count_read(source):  # type: ignore[no-untyped-def]
        read.append(source)
        return from_filelike(source)

    monkeypatch.setattr(InMemoryStorage, "_open", count_open)
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", staticmethod(count_read))
    job = kind.upload(kind.messy)
    assert (len(opened), len(read)) == (1, 1)  # the check pass; storing the upload opens nothing
    kind.confirm(job, only_valid=True)
    assert (len(opened), len(read)) == (2, 2)  # the run checks again and writes from that one reading


def test_an_uploader_who_lost_the_right_gets_a_failed_job_and_nothing_written(kind, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 0
    job = kind.upload(kind.clean)
    assert job.status == ImportJob.Status.UPLOADED  # queued, the worker has not run
    kind.uploader.role_assignments.update(active=False)
    before = kind.written()
    job = services.import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message and kind.written() == before


def test_a_file_with_too_many_rows_is_refused_before_it_is_stored(kind, settings):
    settings.IMPORT_MAX_ROWS = 2
    with pytest.raises(ValidationError) as refused:
        kind.upload(kind.messy)
    assert "dòng" in " ".join(refused.value.messages)
    assert not ImportJob.objects.exists()


def test_the_audit_notes_keep_the_shape_each_apps_audit_vocabulary_reads(world):
    year = school_year_current().label
    staff, catalog, temis = (case(k, world) for k in ("staff", "catalog", "temis"))
    notes = {}
    for c in (staff, catalog, temis):
        job = c.upload(c.messy)
        job = c.confirm(job, only_valid=True)
        notes[c.kind] = list(
            AuditLog.objects.filter(object_uuid=job.uuid).order_by("id").values_list("note", flat=True)
        )
    assert notes["staff"] == [f"staff, {year}", "only valid rows", "only valid rows"]
    assert notes["catalog"] == ["GVPT-TT17-2019", "only valid rows", "GVPT-TT17-2019: thêm 1, cập nhật 0"]
    assert notes["temis"] == [f"{year}, principal", "only valid rows", "danh sach.xlsx: 1 rows, 2 left out"]


@pytest.mark.parametrize("threshold", [1, 10**6])
def test_an_import_of_many_rows_refreshes_the_planner_statistics_after_writing(kind, settings, monkeypatch, threshold):
    """On PostgreSQL a province's first rows of a new year look absent to the planner until ANALYZE;
    an import that wrote at least IMPORT_ANALYZE_ROWS rows runs it (after its own transaction)."""
    settings.IMPORT_ANALYZE_ROWS = threshold
    calls: list[bool] = []
    monkeypatch.setattr(services, "planner_statistics_refresh", lambda: calls.append(True))
    job = kind.upload(kind.clean)
    assert job.status == ImportJob.Status.DONE
    assert calls == ([True] if job.created_count + job.updated_count >= threshold else [])
