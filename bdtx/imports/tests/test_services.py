"""The life of an import job, shown with the staff list: store, check, write (or not), keep the file and the log."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bdtx.accounts.models import RoleAssignment
from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports import services
from bdtx.imports.models import ImportJob
from bdtx.people.models import Employment, Person
from bdtx.people.tests.staff_files import MESSY_ERRORS, MESSY_VALID_ROWS, clean_staff_file, messy_staff_file


def _staff_at(world, unit: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        e.person.full_name
        for e in Employment.objects.filter(unit=world.u(unit), school_year=school_year_current()).select_related(
            "person"
        )
    }


def test_a_file_with_errors_lists_each_problem_by_excel_row_and_column(upload):
    job = upload(messy_staff_file())
    assert job.status == ImportJob.Status.VALIDATED
    assert [(e["row"], e["col"], e["code"]) for e in job.problems] == MESSY_ERRORS
    assert (job.total_rows, job.valid_rows, job.error_count) == (11, len(MESSY_VALID_ROWS), len(MESSY_ERRORS))
    assert job.problems[0]["column"] == "Số CCCD" and job.problems[0]["value"] == "004085012345"
    assert all(e["message"] for e in job.problems)


def test_nothing_is_written_while_the_file_has_errors_and_the_user_has_not_confirmed(world, upload):
    before = (Person.objects.count(), Employment.objects.count())
    job = upload(messy_staff_file())
    assert (Person.objects.count(), Employment.objects.count()) == before
    assert (job.created_count, job.updated_count) == (0, 0)
    assert not AuditLog.objects.filter(action="person.create", source="import").exists()


def test_confirming_writes_only_the_valid_rows(world, upload, confirm):
    people = Person.objects.count()
    job = confirm(upload(messy_staff_file()), only_valid=True)
    assert job.status == ImportJob.Status.DONE and job.progress == 100
    assert (job.created_count, job.updated_count) == (3, 0)
    assert Person.objects.count() == people + 3
    assert {"Trần Thị Bình", "Lê Thị Cúc", "Đặng Thị Hương"} <= _staff_at(world, "th_a1")
    assert not Person.objects.filter(personal_id="004085012345").exists()  # same ID twice in the file
    huong = Person.objects.get(personal_id="001192012345")
    assert (huong.full_name, huong.ethnicity_id, huong.gender) == ("Đặng Thị Hương", "02", "F")
    cuc = Employment.objects.get(person__personal_id="040188012345")
    assert (cuc.position, cuc.staff_type, cuc.school_level) == ("pho_hieu_truong", "CBQL", "TH")


def test_confirming_all_rows_of_a_file_with_errors_is_refused(upload, confirm):
    job = upload(messy_staff_file())
    with pytest.raises(ValidationError):
        confirm(job, only_valid=False)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


def test_a_clean_file_is_written_at_once_and_progress_reaches_100(world, upload):
    job = upload(clean_staff_file())
    assert (job.status, job.progress, job.error_count) == (ImportJob.Status.DONE, 100, 0)
    assert (job.total_rows, job.valid_rows, job.created_count) == (3, 3, 3)
    assert {"Nguyễn Thị Minh Hoa", "Trần Văn Bình", "Lò Thị Xuân"} <= _staff_at(world, "th_a1")
    assert job.started_at and job.finished_at and set(job.timings) == {"read", "check", "write"}


def test_importing_the_same_people_again_updates_them_instead_of_duplicating(world, upload):
    upload(clean_staff_file())
    people, employments = Person.objects.count(), Employment.objects.count()
    job = upload(clean_staff_file(phone="0987654321"))
    assert (job.created_count, job.updated_count) == (0, 3)
    assert (Person.objects.count(), Employment.objects.count()) == (people, employments)
    assert Person.objects.get(personal_id="001185012345").phone == "0987654321"


def test_the_uploaded_file_and_its_log_are_kept(upload):
    content = clean_staff_file()
    job = upload(content)
    with job.file.open("rb") as f:
        assert f.read() == content
    assert job.file.name.startswith("imports/") and job.original_filename == "danh sach.xlsx"
    assert job.columns[1] == {"letter": "B", "header": "Họ và tên", "key": "full_name"}
    assert job.header_rows == "4"


def test_audit_entries_record_the_upload_each_person_and_a_summary(world, upload):
    job = upload(clean_staff_file())
    user = world.users["principal_a1"]
    summary = AuditLog.objects.get(action="import.staff", object_uuid=job.uuid)
    assert (summary.actor, summary.source, summary.unit_path) == (user, "import", world.u("th_a1").path)
    assert summary.changes["created"] == 3 and summary.changes["written"] == 3
    assert AuditLog.objects.filter(action="import.upload", object_uuid=job.uuid).exists()
    assert AuditLog.objects.filter(action="person.create", source="import", note=f"import {job.uuid}").count() == 3


def test_check_only_waits_for_confirmation_before_writing(upload, confirm):
    people = Person.objects.count()
    job = upload(clean_staff_file(), check_only=True)
    assert (job.status, job.error_count, Person.objects.count()) == (ImportJob.Status.VALIDATED, 0, people)
    job = confirm(job, only_valid=False)
    assert job.status == ImportJob.Status.DONE and Person.objects.count() == people + 3


def test_large_files_go_through_the_background_task(settings, upload, enqueued):
    settings.IMPORT_BACKGROUND_ROWS = 2
    job = upload(clean_staff_file())
    assert enqueued == ["import_validate"]
    assert (job.status, job.progress) == (ImportJob.Status.DONE, 100)


def test_small_files_are_checked_right_away_without_the_queue(settings, upload, enqueued):
    settings.IMPORT_BACKGROUND_ROWS = 500
    job = upload(clean_staff_file())
    assert enqueued == [] and job.status == ImportJob.Status.DONE


def test_a_department_imports_into_its_schools_by_unit_code(world, upload):
    rows = [
        ["Họ và tên", "Giới tính", "Ngày sinh", "Mã trường"],
        ["Mai Văn Tư", "Nam", "01/01/1980", "THCS-A2"],
        ["Đinh Thị Năm", "Nữ", "02/02/1982", "TH-A1"],
        ["Hà Văn Sáu", "Nam", "03/03/1983", "TH-B1"],
        ["Lã Văn Bảy", "Nam", "03/03/1983", "04"],
        ["Phan Văn Tám", "Nam", "03/03/1983", None],
    ]
    job = upload(build_xlsx(rows), user="so_a", unit="so_a")
    # errors first, then the warning that the file has no ID column (on its header row)
    expected = [(4, "unit.unknown"), (5, "unit.unknown"), (6, "unit.missing"), (1, "column.no_personal_id")]
    assert [(e["row"], e["code"]) for e in job.problems] == expected
    assert job.problems[0]["message"] == job.problems[1]["message"]  # a school elsewhere looks like no school at all
    assert job.valid_rows == 2


def test_without_a_unit_column_the_rows_go_to_the_chosen_school(world, upload):
    job = upload(clean_staff_file(unit_code=None), user="so_a", unit="thcs_a2")
    assert job.status == ImportJob.Status.DONE
    assert {"Nguyễn Thị Minh Hoa", "Trần Văn Bình", "Lò Thị Xuân"} <= _staff_at(world, "thcs_a2")


def test_without_a_unit_column_an_office_must_choose_a_school(upload):
    job = upload(clean_staff_file(unit_code=None), user="so_a", unit="so_a")
    assert [(e["col"], e["code"]) for e in job.problems] == [("", "unit.column_missing")]
    assert job.status == ImportJob.Status.VALIDATED and not job.can_confirm


def test_a_person_working_outside_the_importers_scope_is_not_taken_over(world, upload):
    teacher_b1 = world.people["teacher_b1"]
    rows = [
        ["Họ và tên", "Giới tính", "Ngày sinh", "Số định danh"],
        [teacher_b1.full_name, teacher_b1.get_gender_display(), teacher_b1.date_of_birth, teacher_b1.personal_id],
    ]
    job = upload(build_xlsx(rows))
    assert [(e["row"], e["col"], e["code"]) for e in job.problems] == [(2, "D", "person.outside_scope")]
    assert Employment.objects.get(person=teacher_b1).unit == world.u("th_b1")


def test_uploading_into_a_unit_outside_the_scope_is_refused(upload):
    with pytest.raises(PermissionDenied):
        upload(clean_staff_file(), user="principal_b1", unit="th_a1")


def test_the_background_work_stops_when_the_uploaders_role_was_withdrawn(world, settings, upload):
    settings.IMPORT_BACKGROUND_ROWS = 0
    job = ImportJob.objects.create(
        kind="staff",
        created_by=world.users["principal_a1"],
        unit=world.u("th_a1"),
        school_year=school_year_current(),
        original_filename="x.xlsx",
        file=SimpleUploadedFile("x.xlsx", clean_staff_file()),
    )
    RoleAssignment.objects.filter(user=world.users["principal_a1"]).update(active=False)
    people = Person.objects.count()
    job = services.import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.message
    assert Person.objects.count() == people


def _damaged_workbook() -> bytes:
    """A ZIP that names itself a workbook, as a damaged .xlsx does: it passes the upload check."""
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(
            "[Content_Types].xml", f'<Types><Override PartName="/xl/workbook.xml" ContentType="{main}"/></Types>'
        )
        z.writestr("xl/workbook.xml", "this is not a workbook")
    return buf.getvalue()


def test_an_unreadable_file_fails_with_a_message(upload):
    job = upload(_damaged_workbook())
    assert job.status == ImportJob.Status.FAILED and job.message
    assert job.total_rows == 0


def test_the_service_refuses_a_file_that_is_not_a_workbook_before_storing_it(upload):
    with pytest.raises(ValidationError):
        upload(b"PK\x03\x04 this is not a workbook")
    assert not ImportJob.objects.exists()


def test_stored_errors_are_capped_but_counted(monkeypatch, upload):
    monkeypatch.setattr(services, "MAX_STORED_PROBLEMS", 2)
    job = upload(messy_staff_file())
    assert len(job.problems) == 2 and job.error_count == len(MESSY_ERRORS) and job.problems_truncated


def test_a_table_without_rows_fails_with_a_message(upload):
    job = upload(build_xlsx([["STT", "Họ và tên", "Giới tính", "Ngày sinh"], [], ["Tổng cộng"]]))
    assert job.status == ImportJob.Status.FAILED and job.message
