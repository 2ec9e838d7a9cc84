"""Import pages: who may open them (404 outside the scope, 403 without the permission) and what they show."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.core.importing.parsing import read_table
from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.imports.models import ImportJob
from bdtx.people.importers import FIELDS, NAME_KEYS
from bdtx.people.tests.staff_files import MESSY_ERRORS, clean_staff_file, messy_staff_file


@pytest.fixture
def messy_job(upload) -> ImportJob:  # type: ignore[no-untyped-def]
    return upload(messy_staff_file())


def _url(name: str, job: ImportJob) -> str:
    return reverse(f"imports:{name}", kwargs={"uuid": job.uuid})


JOB_VIEWS = ["detail", "progress", "file", "errors"]


# --- list --------------------------------------------------------------------------------------


def test_principal_sees_the_imports_of_their_school(world, login, messy_job):
    response = login(world.users["principal_a1"]).get(reverse("imports:list"))
    assert response.status_code == 200
    assert messy_job.get_absolute_url() in response.content.decode()


def test_the_department_sees_the_imports_of_schools_below_it(world, login, messy_job):
    response = login(world.users["so_a"]).get(reverse("imports:list"))
    assert messy_job.get_absolute_url() in response.content.decode()


def test_a_principal_of_another_province_does_not_see_the_import_in_the_list(world, login, messy_job):
    response = login(world.users["principal_b1"]).get(reverse("imports:list"))
    assert response.status_code == 200
    assert messy_job.get_absolute_url() not in response.content.decode()


@pytest.mark.parametrize("user", ["teacher_a1", "norole"])
def test_users_who_may_not_import_cannot_open_the_import_list(world, login, user):
    assert login(world.users[user]).get(reverse("imports:list")).status_code == 403


def test_the_ministry_imports_catalogs_and_does_not_see_the_staff_imports_of_schools(world, login, messy_job):
    response = login(world.users["ministry"]).get(reverse("imports:list"))
    html = response.content.decode()
    assert response.status_code == 200 and messy_job.get_absolute_url() not in html
    assert reverse("imports:new", args=["catalog"]) in html and reverse("imports:new", args=["staff"]) not in html


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- upload ------------------------------------------------------------------------------------


def _post_file(client, world, content: bytes, *, unit: str = "th_a1", name: str = "ds.xlsx", **extra):  # type: ignore[no-untyped-def]
    data = {
        "file": SimpleUploadedFile(name, content),
        "unit": str(world.u(unit).uuid),
        "school_year": school_year_current().pk,
        **extra,
    }
    return client.post(reverse("imports:new", args=["staff"]), data)


def test_the_upload_form_offers_the_units_in_the_scope(world, login):
    response = login(world.users["so_a"]).get(reverse("imports:new", args=["staff"]))
    html = response.content.decode()
    assert str(world.u("th_a1").uuid) in html and str(world.u("th_b1").uuid) not in html


def test_uploading_a_clean_file_imports_it_and_shows_the_full_progress_bar(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users["principal_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, world, clean_staff_file())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'aria-valuenow="100"' in page and "100%" in page
    assert job.status == ImportJob.Status.DONE and job.created_count == 3


def test_uploading_another_format_is_refused_with_a_message(world, login):
    client = login(world.users["principal_a1"])
    response = _post_file(client, world, b"STT,Ho va ten\n1,An\n", name="ds.csv")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = _post_file(client, world, b"\xd0\xcf\x11\xe0 old excel", name="ds.xlsx")
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_uploading_into_a_school_of_another_province_is_refused(world, login):
    response = _post_file(login(world.users["principal_b1"]), world, clean_staff_file(), unit="th_a1")
    assert response.status_code == 200 and response.context["form"].errors["unit"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("user", ["teacher_a1", "ministry"])
def test_users_who_may_not_import_cannot_upload(world, login, user):
    client = login(world.users[user])
    assert client.get(reverse("imports:new", args=["staff"])).status_code == 403
    assert _post_file(client, world, clean_staff_file()).status_code == 403


# --- template ----------------------------------------------------------------------------------


def test_the_template_has_vietnamese_headers_an_example_row_and_the_allowed_values(world, login):
    response = login(world.users["principal_a1"]).get(reverse("imports:template", args=["staff"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    content = response.content
    table = read_table(io.BytesIO(content), FIELDS, required_any=NAME_KEYS)
    assert table.layout.header_rows == (4,)
    assert [c.header for c in table.layout.columns][:4] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh"]
    assert list(table.rows) == []  # the example row is skipped
    wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert wb.sheet_names == ["Danh sách", "Hướng dẫn"]
    help_cells = {v for row in wb.get_sheet_by_name("Hướng dẫn").to_python() for v in row}
    assert {"Hiệu trưởng", "Nữ", "Tiểu học", "Mông", "Biên chế", "TH-A1"} <= help_cells
    assert "TH-B1" not in help_cells


def test_users_who_may_not_import_cannot_download_the_template(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("imports:template", args=["staff"])).status_code == 403


# --- one job -----------------------------------------------------------------------------------


def test_the_detail_page_shows_the_error_table_with_excel_rows_and_columns(world, login, messy_job):
    response = login(world.users["principal_a1"]).get(messy_job.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for row, col, code in MESSY_ERRORS:
        assert f'data-row="{row}" data-col="{col}" data-code="{code}"' in html
    assert _url("confirm", messy_job) in html


@pytest.mark.parametrize("view", JOB_VIEWS)
def test_a_principal_of_another_province_gets_404_for_the_job(world, login, messy_job, view):
    assert login(world.users["principal_b1"]).get(_url(view, messy_job)).status_code == 404


@pytest.mark.parametrize("view", JOB_VIEWS)
@pytest.mark.parametrize("user", ["ministry", "teacher_a1"])
def test_users_without_the_import_permission_get_403_for_the_job(world, login, messy_job, view, user):
    assert login(world.users[user]).get(_url(view, messy_job)).status_code == 403


@pytest.mark.parametrize("view", JOB_VIEWS)
def test_the_department_above_the_school_may_open_the_job(world, login, messy_job, view):
    assert login(world.users["so_a"]).get(_url(view, messy_job)).status_code == 200


def test_the_progress_partial_carries_the_percentage_and_reloads_the_page_when_finished(world, login, messy_job):
    client = login(world.users["principal_a1"])
    response = client.get(_url("progress", messy_job), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'aria-valuenow="100"' in html and "100%" in html and "hx-trigger" not in html
    assert response["HX-Refresh"] == "true"


def test_a_running_job_polls_its_progress_every_second(world, login, messy_job):
    ImportJob.objects.filter(pk=messy_job.pk).update(status=ImportJob.Status.VALIDATING, progress=42)
    client = login(world.users["principal_a1"])
    html = client.get(messy_job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'aria-valuenow="42"' in html and "42%" in html
    response = client.get(_url("progress", messy_job), headers={"HX-Request": "true"})
    assert "HX-Refresh" not in response


def test_the_kept_file_downloads_as_uploaded_and_the_read_is_logged(world, login, messy_job):
    response = login(world.users["principal_a1"]).get(_url("file", messy_job))
    assert b"".join(response.streaming_content) == messy_staff_file()
    assert AuditLog.objects.filter(action="sensitive.read", note__contains=str(messy_job.uuid)).exists()


def test_the_problems_download_as_a_spreadsheet(world, login, messy_job):
    response = login(world.users["principal_a1"]).get(_url("errors", messy_job))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[4:]] == [float(r) for r, _c, _k in MESSY_ERRORS]


# --- confirm -----------------------------------------------------------------------------------


def test_confirming_imports_only_the_valid_rows(world, login, messy_job, django_capture_on_commit_callbacks):
    client = login(world.users["principal_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("confirm", messy_job), {"only_valid": "1"})
    assert response.status_code == 302
    messy_job.refresh_from_db()
    assert (messy_job.status, messy_job.created_count) == (ImportJob.Status.DONE, 3)


def test_confirming_without_choosing_only_the_valid_rows_writes_nothing(world, login, messy_job):
    response = login(world.users["principal_a1"]).post(_url("confirm", messy_job), follow=True)
    messy_job.refresh_from_db()
    assert messy_job.status == ImportJob.Status.VALIDATED
    assert list(response.context["messages"])


def test_confirming_needs_a_post(world, login, messy_job):
    assert login(world.users["principal_a1"]).get(_url("confirm", messy_job)).status_code == 405


def test_a_principal_of_another_province_cannot_confirm_the_job(world, login, messy_job):
    assert login(world.users["principal_b1"]).post(_url("confirm", messy_job), {"only_valid": "1"}).status_code == 404


@pytest.mark.parametrize("user", ["ministry", "teacher_a1"])
def test_users_without_the_import_permission_cannot_confirm_the_job(world, login, messy_job, user):
    response = login(world.users[user]).post(_url("confirm", messy_job), {"only_valid": "1"})
    assert response.status_code == 403
    messy_job.refresh_from_db()
    assert messy_job.status == ImportJob.Status.VALIDATED
