"""LMS exchange (issue 9): the account list (.xlsx/.csv), the results import through the shared
pipeline, the xAPI endpoint with its per-LMS token, and the LMS state on the cohort's and the core
teacher's pages: scope (404 outside, 403 inside without the right), idempotency, constant queries."""

import io
import json
import unicodedata
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm
from bdtx.training.lms import (
    activity_id,
    lms_create,
    lms_for_token,
    lms_username,
    token_hash,
    username_uuid,
    xapi_statements_accept,
)
from bdtx.training.models import Enrolment, EnrolmentStatus, Lms, LmsResult, LmsSource, LmsStatement
from bdtx.training.services import enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db

XAPI = "/api/v1/xapi/statements"
LMS_PAGES = ["training:lms", "training:lms_accounts_xlsx", "training:lms_accounts_csv"]


@pytest.fixture
def lmsworld(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A (institution cs_dt) with 4 learners of th_a1, in groups; a cohort
    of province B with one learner; an LMS for each province and their tokens."""
    people = [world.people["teacher_a1"], *staff(world.u("th_a1"), 3)]
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() + timedelta(days=3))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    b = cohort(world, mods, organiser="so_b", name="Lớp tỉnh Bình", module=mods.ql)
    lms_a, token_a = lms_create(scope=SYSTEM, unit=world.u("so_a"), name="LMS Viettel A")
    lms_b, token_b = lms_create(scope=SYSTEM, unit=world.u("so_b"), name="LMS tỉnh B")
    return {"c": c, "b": b, "people": people, "lms_a": lms_a, "a": token_a, "lms_b": lms_b, "b_token": token_b}


def _statement(person, c, verb="passed", **extra):  # type: ignore[no-untyped-def]
    st = {
        "id": str(uuid.uuid4()),
        "actor": {"account": {"homePage": "https://lms.example.vn", "name": lms_username(person)}},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": activity_id(c)},
    }
    st.update(extra)
    return st


def _post(client, token, body):  # type: ignore[no-untyped-def]
    return client.post(
        XAPI, data=json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


# --- rules --------------------------------------------------------------------------------------


def test_the_lms_username_is_the_person_uuid_and_reads_back(world):
    p = world.people["teacher_a1"]
    name = lms_username(p)
    assert len(name) == 32 and name == p.uuid.hex
    assert username_uuid(name) == p.uuid and username_uuid(str(p.uuid)) == p.uuid
    assert username_uuid("nguyenvana") is None


def test_an_lms_token_is_shown_once_and_kept_hashed(world, lmsworld):
    lms, token = lmsworld["lms_a"], lmsworld["a"]
    assert token not in (lms.token_hash, lms.name) and lms.token_hash == token_hash(token)
    assert lms_for_token(token) == lms
    assert lms_for_token(token + "x") is None and lms_for_token("") is None
    Lms.objects.filter(pk=lms.pk).update(active=False)
    assert lms_for_token(token) is None
    assert AuditLog.objects.filter(action="lms.create", object_uuid=lms.uuid).exists()


def test_registering_an_lms_needs_training_manage_over_its_unit(world):
    from bdtx.accounts.selectors import scope_for_user

    with pytest.raises(PermissionDenied):
        lms_create(scope=scope_for_user(world.users["teacher_a1"]), unit=world.u("so_a"), name="x")


# --- the account list ------------------------------------------------------------------------------


def test_the_account_list_xlsx_has_one_row_per_learner_without_id_numbers(world, lmsworld, login):
    c, people = lmsworld["c"], lmsworld["people"]
    p = people[1]
    p.family_name = "=HYPERLINK(1)"
    p.email = "gv@example.vn"
    p.phone = "0912345678"
    p.personal_id = "001085012345"
    p.save()
    r = login(world.users["so_a"]).get(reverse("training:lms_accounts_xlsx", kwargs={"uuid": c.uuid}))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Tên đăng nhập LMS" and len(rows) == 1 + len(people)
    by_user = {row[0]: row for row in rows[1:]}
    row = by_user[p.uuid.hex]
    assert row[2] == "gv@example.vn" and row[3] == "0912345678"  # the phone keeps its leading zero
    assert row[5] == c.subject and row[6] == activity_id(c) and row[7] and row[8]  # group and core teacher
    assert row[1].startswith("=HYPERLINK")  # kept as text
    assert b"<f>" not in r.content  # no formula anywhere
    assert not any("001085012345" in str(v) for row in rows for v in row)


def test_the_account_list_csv_is_utf8_with_bom_and_formula_safe(world, lmsworld, login):
    c, people = lmsworld["c"], lmsworld["people"]
    people[0].family_name = "+Nguyễn"
    people[0].save()
    r = login(world.users["institution"]).get(reverse("training:lms_accounts_csv", kwargs={"uuid": c.uuid}))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    body = b"".join(r.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tên đăng nhập LMS,Họ và tên")
    assert "'+Nguyễn" in text and people[0].uuid.hex in text
    assert len(text.splitlines()) == 1 + len(people)


@pytest.mark.parametrize("name", LMS_PAGES)
@pytest.mark.parametrize("user", ["so_b", "xa_a1", "principal_a1", "teacher_a1", "mentor_a1", "norole"])
def test_lms_pages_outside_the_scope_answer_404(world, lmsworld, login, name, user):
    c = lmsworld["c"]
    assert login(world.users[user]).get(reverse(name, kwargs={"uuid": c.uuid})).status_code == 404


def test_lms_pages_inside_the_scope_without_the_right_answer_403(world, lmsworld, login, monkeypatch):
    c = lmsworld["c"]
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_MANAGE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    client = login(world.users["so_a"])
    for name in LMS_PAGES:
        assert client.get(reverse(name, kwargs={"uuid": c.uuid})).status_code == 403, name
    assert client.post(reverse("training:lms", kwargs={"uuid": c.uuid})).status_code == 403
    detail = client.get(reverse("training:detail", kwargs={"uuid": c.uuid}))
    assert detail.status_code == 200 and 'id="lms-link"' not in detail.content.decode()


def test_the_organiser_and_the_institution_see_the_lms_page(world, lmsworld, login):
    c = lmsworld["c"]
    for user in ("so_a", "institution"):
        client = login(world.users[user])
        r = client.get(reverse("training:lms", kwargs={"uuid": c.uuid}))
        assert r.status_code == 200 and 'id="export-xlsx"' in r.content.decode()
        assert 'id="lms-link"' in client.get(reverse("training:detail", kwargs={"uuid": c.uuid})).content.decode()


# --- xAPI ----------------------------------------------------------------------------------------------


def test_a_passed_statement_is_recorded_with_its_score_and_kept(world, lmsworld, client):
    c, p = lmsworld["c"], lmsworld["people"][0]
    st = _statement(p, c, result={"score": {"raw": 8, "min": 0, "max": 10}}, timestamp="2026-12-20T10:00:00+07:00")
    r = _post(client, lmsworld["a"], st)
    assert r.status_code == 200, r.content
    assert r.json()["ids"] == [st["id"]] and r.json()["stored"] == 1
    res = LmsResult.objects.get(enrolment__person=p)
    assert (res.passed, res.progress, res.score, res.source) == (True, 100, Decimal("8.00"), LmsSource.XAPI)
    assert res.recorded_at.date() == date(2026, 12, 20)
    kept = LmsStatement.objects.get(statement_id=st["id"])
    assert kept.raw == st and kept.lms == lmsworld["lms_a"] and res.statement == kept
    assert AuditLog.objects.filter(action="lms.xapi", source=AuditLog.Source.API).count() == 1


def test_a_statement_sent_again_writes_nothing(world, lmsworld, client):
    c, p = lmsworld["c"], lmsworld["people"][0]
    st = _statement(p, c, verb="completed")
    assert _post(client, lmsworld["a"], st).status_code == 200
    r = _post(client, lmsworld["a"], [st])
    assert r.status_code == 200 and r.json() == {"ids": [st["id"]], "stored": 0, "repeated": 1}
    assert LmsResult.objects.count() == 1 and LmsStatement.objects.count() == 1


def test_a_batch_by_mbox_merges_into_the_learner_state(world, lmsworld, client):
    c, p = lmsworld["c"], lmsworld["people"][1]
    p.email = "Hoc.Vien@Example.vn"
    p.save()
    mbox = {"mbox": "mailto:hoc.vien@example.vn"}
    batch = [
        _statement(p, c, verb="completed") | {"actor": mbox},
        _statement(p, c, verb="scored", result={"score": {"scaled": 0.45}}) | {"actor": mbox},
        _statement(p, c, verb="failed") | {"actor": mbox},
    ]
    r = _post(client, lmsworld["a"], batch)
    assert r.status_code == 200, r.content
    latest = LmsResult.objects.filter(enrolment__person=p).order_by("-id").first()
    assert (latest.progress, latest.score, latest.passed) == (100, Decimal("4.50"), False)
    assert LmsResult.objects.filter(enrolment__person=p).count() == 3


@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"actor": {"account": {"name": uuid.uuid4().hex}}}, 400, "unknown learner"),
        ({"actor": {"mbox": "mailto:ai@do.vn"}}, 400, "ai@do.vn"),
        ({"object": {"id": f"urn:bdtx:cohort:{uuid.uuid4()}"}}, 400, "unknown module"),
        ({"object": {"id": "https://lms.example.vn/course/12"}}, 400, "course/12"),
        ({"verb": {"id": "http://adlnet.gov/expapi/verbs/attempted"}}, 400, "attempted"),
        ({"id": "not-a-uuid"}, 400, "statement id"),
    ],
)
def test_unknown_learner_module_or_verb_is_a_400_naming_it(world, lmsworld, client, change, status, says):
    c, p = lmsworld["c"], lmsworld["people"][0]
    good = _statement(p, c)
    bad = _statement(p, c) | change
    r = _post(client, lmsworld["a"], [good, bad])
    assert r.status_code == status, r.content
    detail = r.json()["detail"]
    assert "Statement 2" in detail or "Câu lệnh 2" in detail, detail
    assert says in detail or _vi(says) in detail, detail
    assert not LmsResult.objects.exists() and not LmsStatement.objects.exists()  # the batch is refused whole


def _vi(english: str) -> str:
    return {
        "unknown learner": "không rõ học viên",
        "unknown module": "không rõ mô đun",
        "statement id": "mã câu lệnh",
    }.get(english, english)


def test_the_token_of_one_province_cannot_write_for_another(world, lmsworld, client):
    b = lmsworld["b"]
    learner = staff(world.u("th_b1"), 1)[0]
    Enrolment.objects.create(
        cohort=b, person=learner, unit=world.u("th_b1"), school_year=b.school_year, module=b.module
    )
    r = _post(client, lmsworld["a"], _statement(learner, b))
    assert r.status_code == 403 and not LmsResult.objects.exists()
    r = _post(client, lmsworld["b_token"], _statement(lmsworld["people"][0], lmsworld["c"]))
    assert r.status_code == 403
    assert _post(client, lmsworld["b_token"], _statement(learner, b)).status_code == 200


def test_without_a_valid_token_the_endpoint_answers_401_and_needs_no_csrf(world, lmsworld, client):
    st = _statement(lmsworld["people"][0], lmsworld["c"])
    assert _post(client, "nope", st).status_code == 401
    r = client.post(XAPI, data=json.dumps(st), content_type="application/json")
    assert r.status_code == 401 and r["WWW-Authenticate"].startswith("Bearer")
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert _post(strict, lmsworld["a"], st).status_code == 200


def test_a_withdrawn_learner_is_unknown_to_the_endpoint(world, lmsworld, client):
    p = lmsworld["people"][0]
    Enrolment.objects.filter(person=p).update(status=EnrolmentStatus.WITHDRAWN)
    assert _post(client, lmsworld["a"], _statement(p, lmsworld["c"])).status_code == 400


def test_the_endpoint_is_in_the_openapi_schema(world, login):
    r = login(world.users["so_a"]).get(reverse("api:schema"))
    assert r.status_code == 200 and b"/api/v1/xapi/statements" in r.content


def test_the_service_refuses_an_empty_or_too_large_batch(world, lmsworld):
    from bdtx.training.lms import XapiRefused

    with pytest.raises(XapiRefused):
        xapi_statements_accept(lms=lmsworld["lms_a"], statements=[])
    with pytest.raises(XapiRefused):
        xapi_statements_accept(lms=lmsworld["lms_a"], statements=[{}] * 501)


# --- import ---------------------------------------------------------------------------------------------


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for c, h in enumerate(header):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def _upload(client, c, content, name, django_capture_on_commit_callbacks, **data):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("training:lms", kwargs={"uuid": c.uuid}), {"file": SimpleUploadedFile(name, content), **data}
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ImportJob.objects.order_by("-id").first()
    assert r["Location"] == job.get_absolute_url()
    return job


def test_an_import_with_bad_rows_writes_nothing_and_says_row_column_in_vietnamese(
    world, lmsworld, login, django_capture_on_commit_callbacks
):
    c, people = lmsworld["c"], lmsworld["people"]
    people[2].personal_id = "001085099999"
    people[2].save()
    outsider = staff(world.u("th_a1"), 1)[0]
    header = ["STT", "Tên đăng nhập", "Email", "Số CCCD", "Tiến độ (%)", "Kết quả", "Điểm"]
    rows = [
        [1, lms_username(people[0]), None, None, 100, "Đạt", 8.5],  # fine
        [2, lms_username(people[1]), None, None, 140, "Đạt", 8],  # progress over 100
        [3, lms_username(outsider), None, None, 50, None, None],  # not enrolled in the cohort
        [4, None, None, "001085099999", "60%", "Không đạt", "11"],  # by ID; score over 10
        [5, "nguyenvana", None, None, 10, None, None],  # not a username of this system
        [6, lms_username(people[3]), None, None, None, "có lẽ", None],  # unreadable result
        [7, lms_username(people[0]), None, None, 90, None, None],  # the same learner again
    ]
    client = login(world.users["so_a"])
    job = _upload(
        client, c, _xlsx(header, rows), "ket qua lms.xlsx", django_capture_on_commit_callbacks, check_only="on"
    )
    assert job.kind == "lms_results" and job.status == ImportJob.Status.VALIDATED
    found = {(p["row"], p["col"]) for p in job.problems}
    assert found == {(3, "E"), (4, "B"), (5, "G"), (6, "B"), (7, "F"), (8, "")}, job.problems
    messages = " ".join(p["message"] for p in job.problems)
    assert "Tiến độ" in messages or "tiến độ" in messages
    assert "Không có học viên" in messages and "0 đến 10" in messages, messages
    assert "001085099999" not in json.dumps(job.problems, ensure_ascii=False)  # the ID is never echoed
    assert not LmsResult.objects.exists()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "Tiến độ là tỉ lệ phần trăm từ 0 đến 100." in page.content.decode()
    assert login(world.users["so_b"]).get(job.get_absolute_url()).status_code == 404
    job = run_confirm(job, user=world.users["so_a"], only_valid=True)
    assert job.status == ImportJob.Status.DONE
    res = LmsResult.objects.get()
    assert (res.enrolment.person, res.progress, res.passed, res.score) == (people[0], 100, True, Decimal("8.50"))
    assert res.source == LmsSource.IMPORT
    assert AuditLog.objects.filter(action="lms.import", source=AuditLog.Source.IMPORT).count() == 1


def test_a_clean_csv_is_imported_at_once_by_the_institution(world, lmsworld, login, django_capture_on_commit_callbacks):
    c, people = lmsworld["c"], lmsworld["people"]
    people[1].email = "gv2@example.vn"
    people[1].save()
    text = "Username;E-mail;Progress;Result;Score;Ngày hoàn thành\n"
    text += f"{lms_username(people[0])};;100;passed;9,5;20/11/2026\n"
    text += ";GV2@example.vn;45;;;\n"
    job = _upload(
        login(world.users["institution"]), c, ("\ufeff" + text).encode(), "lms.csv", django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.DONE, job.problems
    assert job.unit == world.u("cs_dt")
    page = login(world.users["institution"]).get(job.get_absolute_url())
    assert page.status_code == 200 and reverse("training:lms", kwargs={"uuid": c.uuid}) in page.content.decode()
    got = {
        r.enrolment.person_id: (r.progress, r.passed, r.score) for r in LmsResult.objects.select_related("enrolment")
    }
    assert got == {people[0].pk: (100, True, Decimal("9.50")), people[1].pk: (45, None, None)}


def test_a_csv_larger_than_the_upload_limit_is_refused_in_the_request_with_no_job(world, lmsworld, login, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    upload = SimpleUploadedFile("lms.csv", ("Username;Progress\n" + "x;1\n" * 50).encode())
    r = login(world.users["so_a"]).post(reverse("training:lms", kwargs={"uuid": lmsworld["c"].uuid}), {"file": upload})
    assert r.status_code == 200
    assert r.context["form"].errors["file"] == [gettext("The file is larger than %(mb)d MB.") % {"mb": 0}]
    assert not ImportJob.objects.filter(kind="lms_results").exists()


@pytest.mark.parametrize(
    ("limits", "content", "message"),
    [
        (
            {"IMPORT_MAX_ROWS": 3},
            "Username;Progress;Score\n" + "x;1;2\n" * 5,
            "Trang tính “CSV” có hơn 3 dòng; mỗi lần chỉ nhập được tối đa 3 dòng",
        ),
        (
            {"IMPORT_MAX_CELL_CHARS": 10},
            "Username;Progress;Score\n" + "x" * 11 + ";1;2\n",
            "Một ô của trang tính “CSV” (khoảng dòng 2) chứa hơn 10 ký tự",
        ),
        (
            {"IMPORT_MAX_CELLS": 20},
            "Username;Progress;Score\n" + "x;1;2\n" * 8,
            "Trang tính “CSV” kéo dài tới cột C",
        ),
    ],
    ids=["rows", "cell", "cells"],
)
def test_a_csv_is_kept_as_uploaded_and_its_bounds_are_measured_by_the_check_not_the_request(
    world, lmsworld, login, settings, django_capture_on_commit_callbacks, limits, content, message
):
    """The request only sniffs the .csv (text, within the upload's size) and keeps it as it is; the
    check reads it, and a file past a limit fails its job with the limit named, nothing written."""
    for name, value in limits.items():
        setattr(settings, name, value)
    job = _upload(
        login(world.users["so_a"]), lmsworld["c"], content.encode(), "lms.csv", django_capture_on_commit_callbacks
    )
    assert job.status == ImportJob.Status.FAILED and message in job.message, job.message
    with job.file.open("rb") as kept:
        assert kept.read() == content.encode()
    assert not LmsResult.objects.exists()


def _cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: a precomposed letter (â, ê, ơ, đ…) and a combining tone."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        for i, mark in enumerate(marks):
            try:
                out += unicodedata.normalize("NFC", base + mark).encode("cp1258")
                out += "".join(marks[:i] + marks[i + 1 :]).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
    return out


def test_a_windows_1258_csv_is_read_and_a_web_page_named_csv_is_refused(
    world, lmsworld, login, django_capture_on_commit_callbacks
):
    c, people = lmsworld["c"], lmsworld["people"]
    text = f"Tên đăng nhập,Tiến độ,Kết quả,Điểm\n{lms_username(people[0])},100,Đạt,9\n"
    job = _upload(login(world.users["so_a"]), c, _cp1258(text), "lms.csv", django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, (job.message, job.problems)
    assert LmsResult.objects.get().score == Decimal("9.00")
    page = SimpleUploadedFile("lms.csv", b"<html><script>alert(1)</script></html>")
    r = login(world.users["so_a"]).post(reverse("training:lms", kwargs={"uuid": c.uuid}), {"file": page})
    assert r.status_code == 200 and "trang web" in " ".join(r.context["form"].errors["file"])


def test_the_import_page_refuses_an_upload_from_outside(world, lmsworld, login):
    c = lmsworld["c"]
    r = login(world.users["so_b"]).post(reverse("training:lms", kwargs={"uuid": c.uuid}))
    assert r.status_code == 404


# --- pages show the state with constant queries ------------------------------------------------------------


def _page_queries(client, url):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as q:
        r = client.get(url)
    assert r.status_code == 200
    return len(q), r.content.decode()


def test_the_lms_page_shows_progress_with_constant_queries(world, mods, lmsworld, login, client):
    c, people = lmsworld["c"], lmsworld["people"]
    _post(client, lmsworld["a"], [_statement(p, c, verb="completed") for p in people[:2]])
    so = login(world.users["so_a"])
    url = reverse("training:lms", kwargs={"uuid": c.uuid})
    before, text = _page_queries(so, url)
    assert "100%" in text and "2 / 4" not in text
    more = staff(world.u("th_a1"), 6)
    for p in more:
        approve(p, world.u("th_a1"), mods.gv)
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    _post(client, lmsworld["a"], [_statement(p, c, verb="passed") for p in more])
    after, text = _page_queries(so, url)
    assert after == before
    assert "8 trên 10 học viên" in text or "8 of 10 learners" in text, text


def test_the_core_teachers_page_shows_lms_progress_and_last_activity(world, mods, lmsworld, login, client):
    c = lmsworld["c"]
    members = list(Enrolment.objects.filter(group__mentor=world.people["mentor_a1"]).order_by("id"))
    assert len(members) == 4
    st = _statement(members[0].person, c, verb="completed", timestamp="2026-12-21T08:00:00+07:00")
    assert _post(client, lmsworld["a"], st).status_code == 200
    mentor = login(world.users["mentor_a1"])
    before, text = _page_queries(mentor, reverse("training:my_groups"))
    assert "100%" in text and "21/12/2026" in text
    st2 = _statement(members[-1].person, c, verb="completed")
    _post(client, lmsworld["a"], st2)
    after, _text = _page_queries(mentor, reverse("training:my_groups"))
    assert after == before


# --- registering an LMS -------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["teacher_a1", "mentor_a1", "principal_a1", "institution", "norole"])
def test_registering_an_lms_is_for_organisers_only(world, login, user):
    assert login(world.users[user]).get(reverse("training:lms_list")).status_code == 403


def test_an_organiser_registers_an_lms_and_sees_its_token_once(world, lmsworld, login):
    client = login(world.users["so_a"])
    r = client.post(reverse("training:lms_list"), {"name": "LMS Viettel", "unit": world.u("so_a").uuid})
    assert r.status_code == 200
    text = r.content.decode()
    lms = Lms.objects.get(name="LMS Viettel")
    token = text.split('<code class="user-select-all text-break">')[1].split("</code>")[0]
    assert lms_for_token(token) == lms and token not in lms.token_hash
    again = client.get(reverse("training:lms_list")).content.decode()
    assert "LMS Viettel" in again and token not in again and 'id="lms-token"' not in again
    assert "LMS tỉnh B" not in again  # another province's LMS is not listed
    r = client.post(reverse("training:lms_list"), {"name": "Ngoài", "unit": world.u("so_b").uuid})
    assert r.status_code == 200 and not Lms.objects.filter(name="Ngoài").exists()


def test_the_shared_upload_page_takes_the_cohort_from_the_link(
    world, lmsworld, login, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c, people = lmsworld["c"], lmsworld["people"]
    url = reverse("imports:new", args=["lms_results"])
    assert login(world.users["teacher_a1"]).get(url).status_code == 403
    client = login(world.users["institution"])
    r = client.get(url, {"cohort": str(c.uuid)})
    assert r.status_code == 200 and str(c.uuid) in r.content.decode()
    content = _xlsx(["Tên đăng nhập", "Tiến độ", "Kết quả"], [[lms_username(people[0]), 30, None]])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"cohort": str(c.uuid), "file": SimpleUploadedFile("kq.xlsx", content)})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert LmsResult.objects.get().progress == 30
    # a cohort the institution does not assess cannot be named by hand
    other = lmsworld["b"]
    r = client.post(url, {"cohort": str(other.uuid), "file": SimpleUploadedFile("kq.xlsx", content)})
    assert r.status_code == 403 and LmsResult.objects.count() == 1


def test_the_shared_upload_form_takes_a_csv_only_for_an_importer_that_reads_one(world):
    """The shared import page (reached with ?cohort= from a job) checks the file as the LMS page does."""
    from bdtx.accounts.selectors import scope_for_user
    from bdtx.core.importing import base as importing
    from bdtx.core.selectors import school_year_current
    from bdtx.imports.forms import ImportUploadForm
    from bdtx.organisations.models import Unit

    scope = scope_for_user(world.users["so_a"])

    def form(kind: str):  # type: ignore[no-untyped-def]
        upload = SimpleUploadedFile("lms.csv", b"Username;Progress;Score\nx;1;2\n")
        return ImportUploadForm(
            {},
            {"file": upload},
            importer=importing.get(kind),
            units=Unit.objects.none(),
            current_year=school_year_current(),
            scope=scope,
        )

    lms, scores = form("lms_results"), form("scores")
    assert ".csv" in lms.fields["file"].widget.attrs["accept"] and "file" not in lms.errors
    assert ".csv" not in scores.fields["file"].widget.attrs["accept"] and "file" in scores.errors
