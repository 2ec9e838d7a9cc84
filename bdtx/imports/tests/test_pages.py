"""The import pages are the same for every kind: who may open them, what the upload form refuses,
what the result page shows, and what the pages cost in queries."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.catalog.models import Catalog
from bdtx.catalog.services import NewVersion
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.kinds import KINDS, Case, case

pytestmark = pytest.mark.django_db
JOB_VIEWS = ["detail", "progress", "file", "errors"]


@pytest.fixture(params=KINDS)
def kind(request, world) -> Case:  # type: ignore[no-untyped-def]
    return case(request.param, world)


def _url(name: str, job: ImportJob) -> str:
    return reverse(f"imports:{name}", kwargs={"uuid": job.uuid})


def _form_data(kind: Case, content: bytes, name: str = "tep.xlsx") -> dict[str, object]:
    data: dict[str, object] = {"file": SimpleUploadedFile(name, content)}
    if kind.kind == "catalog":
        data["catalog"] = str(kind.options["catalog"].uuid)
    else:
        data |= {"unit": str(kind.world.u(kind.unit_key).uuid), "school_year": school_year_current().pk}
    if kind.kind == "temis":
        data["levels_are"] = "principal"
    return data


def _post(client, kind: Case, content: bytes, name: str = "tep.xlsx"):  # type: ignore[no-untyped-def]
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("imports:new", args=[kind.kind]), _form_data(kind, content, name))


# --- who may open what ---------------------------------------------------------------------------


@pytest.mark.parametrize("view", JOB_VIEWS)
def test_outside_the_jobs_unit_every_job_page_is_not_found(kind, login, view):
    job = kind.upload(kind.messy)
    client = login(kind.outsider)
    assert client.get(_url(view, job)).status_code == 404
    assert client.post(_url("confirm", job), {"only_valid": "1"}).status_code == 404


@pytest.mark.parametrize("view", JOB_VIEWS)
def test_without_the_right_to_import_this_kind_every_job_page_is_forbidden(kind, login, view):
    job = kind.upload(kind.messy)
    client = login(kind.no_right)
    assert client.get(_url(view, job)).status_code == 403
    assert client.post(_url("confirm", job), {"only_valid": "1"}).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


@pytest.mark.parametrize("view", JOB_VIEWS)
def test_the_uploader_opens_every_job_page(kind, login, view):
    job = kind.upload(kind.messy)
    assert login(kind.uploader).get(_url(view, job)).status_code == 200


def test_the_upload_page_is_forbidden_to_who_may_not_import_that_kind(kind, login):
    url = reverse("imports:new", args=[kind.kind])
    assert login(kind.uploader).get(url).status_code == 200
    client = login(kind.no_right if kind.kind != "catalog" else kind.outsider)
    assert client.get(url).status_code == 403
    assert _post(client, kind, kind.clean).status_code == 403
    assert not ImportJob.objects.exists()


def test_an_unknown_kind_or_job_is_not_found(world, login):
    client = login(world.users["so_a"])
    assert client.get(reverse("imports:new", args=["nothing"])).status_code == 404
    assert client.get(reverse("imports:template", args=["temis"])).status_code == 404  # no template for TEMIS
    for view in JOB_VIEWS:
        assert client.get(reverse(f"imports:{view}", kwargs={"uuid": uuid.uuid4()})).status_code == 404
    assert client.post(reverse("imports:confirm", kwargs={"uuid": uuid.uuid4()})).status_code == 404


def test_the_kept_file_of_a_catalog_has_nothing_personal_and_needs_no_sensitive_right(world, login):
    catalog = case("catalog", world)
    job = catalog.upload(catalog.clean)
    response = login(world.users["ministry"]).get(_url("file", job))  # the ministry does not see ID numbers
    assert response.status_code == 200 and b"".join(response.streaming_content) == catalog.clean


# --- the upload form -----------------------------------------------------------------------------


def test_the_form_uploads_and_redirects_to_the_result(kind, login):
    response = _post(login(kind.uploader), kind, kind.clean)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.status) == (kind.kind, ImportJob.Status.DONE)


def test_the_form_knows_a_text_file_named_xlsx_by_its_content(kind, login):
    response = _post(login(kind.uploader), kind, b"STT;Ho va ten\n1;Nguyen Van An\n", name="danh-sach.xlsx")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_the_form_refuses_a_file_above_the_size_limit(kind, login, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = len(kind.clean) - 1
    response = _post(login(kind.uploader), kind, kind.clean)
    assert "MB" in response.context["form"].errors["file"][0]
    assert not ImportJob.objects.exists()


def test_the_form_refuses_a_file_with_too_many_rows_in_vietnamese(kind, login, settings):
    settings.IMPORT_MAX_ROWS = 2
    response = _post(login(kind.uploader), kind, kind.messy)
    [message] = response.context["form"].errors["file"]
    assert "mỗi lần chỉ nhập được tối đa 2 dòng" in message
    assert not ImportJob.objects.exists()


def test_the_form_does_not_read_the_workbook_in_the_request(kind, login, settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 0
    calls: list[object] = []
    monkeypatch.setattr(CalamineWorkbook, "from_filelike", staticmethod(calls.append))
    response = _post(login(kind.uploader), kind, kind.clean)
    assert response.status_code == 302 and calls == []
    assert ImportJob.objects.get().status == ImportJob.Status.UPLOADED  # the worker reads it


# --- the result page -----------------------------------------------------------------------------


def test_the_result_page_shows_counts_progress_problems_and_the_valid_rows_choice(kind, login):
    job = kind.upload(kind.messy)
    html = login(kind.uploader).get(job.get_absolute_url()).content.decode()
    assert 'id="job-counts"' in html and 'aria-valuenow="100"' in html and 'id="error-table"' in html
    assert html.count('data-severity="error"') == kind.messy_errors
    assert 'id="import-valid"' in html and _url("confirm", job) in html
    assert ('id="warning-count"' in html) == (kind.kind == "temis")


def test_a_finished_job_counts_what_was_added_and_links_to_it(kind, login):
    job = kind.upload(kind.clean)
    html = login(kind.uploader).get(job.get_absolute_url()).content.decode()
    assert 'class="alert alert-success"' in html and 'id="created-count"' in html
    assert 'id="error-table"' not in html and 'id="import-valid"' not in html


def test_temis_warnings_are_shown_apart_and_confirmed_without_choosing_rows(world, login):
    temis = case("temis", world)
    teacher = world.people["teacher_a1"]
    header = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", *(f"Tiêu chí {i}" for i in range(1, 16)), "Xếp loại"]
    row = [1, teacher.full_name, teacher.date_of_birth, teacher.personal_id, *["K"] * 15, "Tốt"]  # Khá by the rule
    job = temis.upload(build_xlsx([header, row]))
    html = login(temis.uploader).get(job.get_absolute_url()).content.decode()
    assert (job.status, job.error_count, job.warning_count) == (ImportJob.Status.VALIDATED, 0, 1)
    assert 'data-severity="warning" class="table-warning"' in html and 'id="import-all"' in html


def test_a_catalog_job_tells_the_new_version_it_creates(world, login):
    catalog = case("catalog", world)
    new = NewVersion(code="GVPT-2027", name="", circular="Thông tư 99/2027/TT-BGDĐT", first_year=2027)
    job = catalog.upload(catalog.clean, options={**catalog.options, "new_version": new}, check_only=True)
    html = login(catalog.uploader).get(job.get_absolute_url()).content.decode()
    assert "GVPT-2027" in html and "Thông tư 99/2027/TT-BGDĐT" in html and "2027-2028" in html
    job = catalog.confirm(job, only_valid=False)
    created = Catalog.objects.get(code="GVPT-2027")
    html = login(catalog.uploader).get(job.get_absolute_url()).content.decode()
    assert f"catalog={created.uuid}&amp;year=2027" in html


# --- queries do not grow with jobs or problems ---------------------------------------------------


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_job_list_costs_the_same_queries_for_one_job_or_many_of_every_kind(
    world, login, django_assert_max_num_queries
):
    cases = [case(k, world) for k in KINDS]
    cases[0].upload(cases[0].clean)
    client = login(world.users["sysadmin"])  # imports every kind
    one = _queries(client, reverse("imports:list"))
    for c in cases:
        c.upload(c.messy)
        c.upload(c.clean)
    assert ImportJob.objects.count() == 7
    with django_assert_max_num_queries(one):
        assert client.get(reverse("imports:list")).status_code == 200


def test_the_result_page_costs_the_same_queries_whatever_the_number_of_problems(
    kind, login, django_assert_max_num_queries
):
    small = kind.upload(kind.clean)
    client = login(kind.uploader)
    few = _queries(client, small.get_absolute_url())
    big = kind.upload(kind.messy)
    ImportJob.objects.filter(pk=big.pk).update(problems=big.problems * 150, error_count=len(big.problems) * 150)
    # one more at most: problems showing ID numbers are a sensitive read, logged in one insert
    with django_assert_max_num_queries(few + 1):
        assert client.get(big.get_absolute_url() + "?page=2").status_code == 200


# --- the addresses of before --------------------------------------------------------------------


def test_the_old_upload_addresses_lead_to_the_upload_page_of_their_kind(world, login):
    client = login(world.users["sysadmin"])
    chosen = f"?catalog={Catalog.objects.get(code='GVPT-TT17-2019').uuid}"
    old = {
        "/imports/new/": reverse("imports:new", args=["staff"]),
        "/imports/template.xlsx": reverse("imports:template", args=["staff"]),
        f"/catalog/imports/new/{chosen}": reverse("imports:new", args=["catalog"]) + chosen,
        "/standards/temis/": reverse("imports:new", args=["temis"]),
    }
    for before, now in old.items():
        response = client.get(before)
        assert (response.status_code, response["Location"]) == (302, now)


@pytest.mark.parametrize(("kind_name", "prefix"), [("catalog", "/catalog/imports/"), ("temis", "/standards/temis/")])
def test_the_old_address_of_a_catalog_or_temis_job_leads_to_it_inside_the_scope_only(world, login, kind_name, prefix):
    kind = case(kind_name, world)
    job = kind.upload(kind.messy)
    response = login(kind.uploader).get(f"{prefix}{job.uuid}/")
    assert (response.status_code, response["Location"]) == (302, job.get_absolute_url())
    assert login(kind.outsider).get(f"{prefix}{job.uuid}/").status_code == 404
