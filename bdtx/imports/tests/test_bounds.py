"""The pipeline's side of the upload bounds: the request only sniffs, what the file declares decides
nothing, the limits fail the job with a clear message, and no transaction is open while a file is read."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from python_calamine import CalamineWorkbook

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.importing import base as importing
from bdtx.core.importing import parsing
from bdtx.core.selectors import school_year_current
from bdtx.core.tests import hostile
from bdtx.imports import services
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.kinds import case
from bdtx.people.models import Person
from bdtx.people.tests.staff_files import clean_staff_file

pytestmark = pytest.mark.django_db


def test_a_file_declaring_three_rows_but_holding_thousands_is_not_checked_in_the_request(
    upload, settings, monkeypatch, enqueued
):
    """The probe's 764 KB file declared a small <dimension> and was checked in the web process."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    read: list[object] = []
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", staticmethod(read.append))
    job = upload(hostile.many_rows_xlsx(4000))  # <dimension ref="A1:F3"/>, 4,001 rows
    assert job.status == ImportJob.Status.UPLOADED and enqueued == ["import_validate"] and read == []


def test_a_small_file_seen_whole_by_the_sniff_is_checked_right_away(upload, enqueued):
    job = upload(clean_staff_file())
    assert enqueued == [] and job.status == ImportJob.Status.DONE


def test_a_file_bigger_than_the_sniff_goes_to_the_worker_whatever_its_rows(upload, settings, enqueued):
    settings.IMPORT_INLINE_MAX_BYTES = 1024  # the clean file unpacks to more than that
    job = upload(clean_staff_file())
    assert enqueued == ["import_validate"] and job.status == ImportJob.Status.DONE


def test_a_million_rows_are_refused_at_upload_when_the_sniff_already_counts_too_many(upload):
    with pytest.raises(ValidationError) as refused:
        upload(hostile.many_rows_xlsx(1_040_000))
    assert "có hơn 5.000 dòng; mỗi lần chỉ nhập được tối đa 5.000 dòng" in " ".join(refused.value.messages)
    assert not ImportJob.objects.exists()


def test_a_million_rows_past_the_sniff_fail_the_job_at_the_row_cap(upload, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 64 * 1024  # the sniff sees too little to count 5,000 rows
    job = upload(hostile.many_rows_xlsx(1_040_000))
    assert job.status == ImportJob.Status.FAILED and job.total_rows == 0
    assert "Trang tính “DS” có hơn 5.000 dòng; mỗi lần chỉ nhập được tối đa 5.000 dòng" in job.message


def test_a_zip_bomb_fails_the_job_with_the_size_it_may_unpack_to(upload, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 16 * 2**20
    job = upload(hostile.shared_strings_bomb_xlsx(count=40_000, length=1000))  # 40 MB in 90 KB
    assert job.status == ImportJob.Status.FAILED
    assert job.message.startswith("Khi giải nén, tệp chứa hơn 16 MB, mức tối đa của một lần nhập")


def test_a_huge_cell_is_refused_at_upload_with_a_clear_message(upload):
    with pytest.raises(ValidationError) as refused:
        upload(hostile.huge_cell_xlsx(20 * 2**20))
    assert "Một ô của trang tính “DS” (khoảng dòng 2) chứa hơn 32.767 ký tự" in " ".join(refused.value.messages)


def test_a_huge_cell_past_the_sniff_fails_the_job_with_the_same_message(upload, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 4096  # the sniff stops before the cell is long enough to tell
    job = upload(hostile.huge_cell_xlsx(20 * 2**20))
    assert job.status == ImportJob.Status.FAILED and not job.can_retry
    assert job.message.startswith("Một ô của trang tính “DS” (khoảng dòng 2) chứa hơn 32.767 ký tự")


def test_a_web_page_named_xlsx_is_refused_by_its_content(upload):
    with pytest.raises(ValidationError) as refused:
        upload(b"<html><body><script>alert(document.cookie)</script></body></html>", filename="danh-sach.xlsx")
    assert "là một trang web" in " ".join(refused.value.messages)
    assert not ImportJob.objects.exists()


# --- no transaction while a file is read --------------------------------------------------------


@pytest.mark.parametrize("kind_key", ["staff", "catalog", "temis"])
@pytest.mark.parametrize("background", [False, True])
def test_files_are_read_and_checked_outside_any_transaction_and_only_written_inside_one(
    transactional_db, world, settings, monkeypatch, kind_key, background
):
    """TEMIS and catalog imports used to read inside the write transaction and held SQLite's lock:
    other users' logins failed with "database is locked". Every read and check happens with no
    transaction open; only the write, given the checked records, runs in one."""
    if background:
        settings.IMPORT_BACKGROUND_ROWS = 0
    kind = case(kind_key, world)
    importer = importing.get(kind.kind)
    seen: dict[str, list[bool]] = {}

    def hook(name, func):  # type: ignore[no-untyped-def]
        def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen.setdefault(name, []).append(transaction.get_connection().in_atomic_block)
            return func(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(services, "read_table", hook("read", parsing.read_table))
    for method in ("prepare", "check_row", "check_file", "write"):
        monkeypatch.setattr(type(importer), method, hook(method, getattr(type(importer), method)))
    before = kind.written()
    job = services.import_job_create(  # no test transaction: the check runs after the commit, as in production
        scope=scope_for_user(kind.uploader),
        kind=kind.kind,
        unit=world.u(kind.unit_key),
        upload=SimpleUploadedFile("t.xlsx", kind.clean),
        school_year=school_year_current(),
        options=kind.options,
    )
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and kind.written() == before + job.created_count
    assert set(seen) == {"read", "prepare", "check_row", "check_file", "write"}
    assert not any(seen["read"] + seen["prepare"] + seen["check_row"] + seen["check_file"]), seen
    assert all(seen["write"]), seen


def test_a_person_count_is_unchanged_when_the_bounds_refuse(upload, settings):
    people = Person.objects.count()
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 2**20
    job = upload(hostile.shared_strings_bomb_xlsx(count=20_000, length=1000))
    assert job.status == ImportJob.Status.FAILED and Person.objects.count() == people
