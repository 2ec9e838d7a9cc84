"""Standards pages: who may open them (404 outside the scope, 403 without the right) and what they do."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse, reverse_lazy
from python_calamine import CalamineWorkbook

from bdtx.accounts.models import RoleAssignment
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.test_uploads import EXE, HTML, PNG, SVG
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.people.models import Employment
from bdtx.standards.models import Assessment, Criterion, Level, PeerOpinion
from bdtx.standards.tests.conftest import framework, levels_of

pytestmark = pytest.mark.django_db
T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET


def _levels_post(fw_code: str, default: int, **by_number: int | None) -> dict[str, str]:
    fw = framework(fw_code)
    return {f"level_{cid}": str(lvl) for cid, lvl in levels_of(fw, default, **by_number).items() if lvl}


def url(name: str, a: Assessment) -> str:
    return reverse(f"standards:{name}", kwargs={"uuid": a.uuid})


@pytest.fixture
def school_viewer(world):  # type: ignore[no-untyped-def]
    """A user whose role covers th_a1 but gives no right over assessments (sees units only)."""
    user = world.users["institution"]
    RoleAssignment.objects.create(user=user, unit=world.u("th_a1"), role="institution_staff")
    return user


# --- my self-assessment -------------------------------------------------------------------------


def test_a_teacher_opens_their_self_assessment_with_every_criterion_of_their_standard(world, login):
    r = login(world.users["teacher_a1"]).get(reverse("standards:mine"))
    assert r.status_code == 200
    html = r.content.decode()
    assert all(f'id="criterion-{n}"' in html for n in range(1, 16))
    assert 'id="criterion-16"' not in html
    # the note about how far the data is checked is for its maintainers (the data sources page)
    assert framework("tt20_2018_gvpt").completeness_note not in html


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "norole"])
def test_users_without_a_staff_record_have_no_self_assessment(world, login, user):
    assert login(world.users[user]).get(reverse("standards:mine")).status_code == 403


def test_someone_without_a_job_this_year_is_told_so(world, login):
    Employment.objects.filter(person=world.people["teacher_a1"]).delete()
    r = login(world.users["teacher_a1"]).get(reverse("standards:mine"))
    assert r.status_code == 200 and 'id="no-employment"' in r.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    r = client.get(reverse("standards:mine"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_saving_a_draft_keeps_levels_and_evidence(world, login):
    c1 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=1)
    data = {
        f"level_{c1.pk}": "4",
        f"text_{c1.pk}": "Không vi phạm đạo đức nhà giáo",
        f"link_{c1.pk}": "https://example.edu.vn/minh-chung",
        f"file_{c1.pk}": SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4"),
        "save": "1",
    }
    client = login(world.users["teacher_a1"])
    r = client.post(reverse("standards:mine"), data)
    assert r.status_code == 302 and r["Location"] == reverse("standards:mine")
    a = Assessment.objects.get(person=world.people["teacher_a1"])
    assert a.status == Assessment.Status.DRAFT
    rating = a.ratings.get(criterion=c1)
    assert (rating.self_level, rating.evidence_link) == (T, "https://example.edu.vn/minh-chung")
    page = client.get(reverse("standards:mine")).content.decode()
    assert "Không vi phạm đạo đức nhà giáo" in page and "minh-chung" in page
    evidence = client.get(reverse("standards:evidence", kwargs={"uuid": a.uuid, "criterion": c1.pk}))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == b"%PDF-1.4"


def test_an_evidence_file_of_an_unknown_kind_is_refused(world, login):
    c1 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=1)
    r = login(world.users["teacher_a1"]).post(
        reverse("standards:mine"), {f"file_{c1.pk}": SimpleUploadedFile("virus.exe", b"MZ"), "save": "1"}
    )
    assert r.status_code == 200 and r.context["form"].errors
    assert not Assessment.objects.exists()


def test_submitting_every_criterion_computes_the_rating_and_opens_the_record(world, login):
    client = login(world.users["teacher_a1"])
    r = client.post(reverse("standards:mine"), {**_levels_post("tt20_2018_gvpt", T), "submit": "1"})
    a = Assessment.objects.get(person=world.people["teacher_a1"])
    assert r.status_code == 302 and r["Location"] == url("detail", a)
    assert a.status == Assessment.Status.SUBMITTED and a.self_result == T
    assert client.get(reverse("standards:mine"))["Location"] == url("detail", a)


def test_submitting_with_a_criterion_missing_says_which_and_keeps_the_draft(world, login):
    r = login(world.users["teacher_a1"]).post(
        reverse("standards:mine"), {**_levels_post("tt20_2018_gvpt", T, c11=None), "submit": "1"}
    )
    assert r.status_code == 200
    assert Assessment.objects.get().status == Assessment.Status.DRAFT
    assert "11" in " ".join(str(m) for m in r.context["messages"])


def test_the_live_rating_follows_the_levels_being_entered(world, login):
    fw = framework("tt20_2018_gvpt")
    client = login(world.users["teacher_a1"])
    r = client.post(reverse("standards:preview"), {"framework": str(fw.uuid), **_levels_post(fw.code, T, c5=K)})
    assert r.status_code == 200 and 'data-level="3"' in r.content.decode()
    r = client.post(reverse("standards:preview"), {"framework": str(fw.uuid), **_levels_post(fw.code, T, c5=None)})
    assert 'data-level=""' in r.content.decode()


def test_the_live_rating_answers_404_for_an_unknown_standard(world, login):
    client = login(world.users["teacher_a1"])
    assert client.post(reverse("standards:preview"), {"framework": "nope"}).status_code == 404
    assert client.get(reverse("standards:preview")).status_code == 405


# --- one assessment -----------------------------------------------------------------------------


def test_the_teacher_sees_their_submitted_record(world, login, submitted):
    r = login(world.users["teacher_a1"]).get(url("detail", submitted))
    assert r.status_code == 200 and 'id="self-result"' in r.content.decode()
    assert not r.context["access"].evaluate


def test_the_principal_sees_it_with_the_evaluate_button(world, login, submitted):
    r = login(world.users["principal_a1"]).get(url("detail", submitted))
    assert r.status_code == 200 and 'id="evaluate-link"' in r.content.decode()


def test_a_colleague_sees_it_with_the_opinion_form_but_not_the_evaluation(world, login, user_for, submitted):
    r = login(user_for("colleague_a1")).get(url("detail", submitted))
    html = r.content.decode()
    assert r.status_code == 200 and 'id="opinion-form"' in html and 'id="principal-result"' not in html


@pytest.mark.parametrize("user", ["principal_a2", "principal_b1", "so_b", "norole", "institution"])
def test_outsiders_get_404_for_the_record_and_its_pages(world, login, submitted, user):
    client = login(world.users[user])
    for name in ("detail", "evaluate"):
        assert client.get(url(name, submitted)).status_code == 404
    assert client.post(url("opinion", submitted), {"text": "x"}).status_code == 404


def test_a_teacher_of_another_school_gets_404(world, login, user_for, submitted):
    client = login(user_for("teacher_a2"))
    assert client.get(url("detail", submitted)).status_code == 404
    assert client.post(url("opinion", submitted), {"text": "x"}).status_code == 404
    assert not PeerOpinion.objects.exists()


def test_a_teacher_does_not_see_a_colleagues_draft(world, login, self_assess):
    draft = self_assess("colleague_a1", K, submit=False)
    assert login(world.users["teacher_a1"]).get(url("detail", draft)).status_code == 404


def test_a_user_who_sees_the_school_but_not_its_assessments_gets_403(world, login, school_viewer, submitted):
    assert login(school_viewer).get(url("detail", submitted)).status_code == 403


# --- evaluation ---------------------------------------------------------------------------------


def test_the_principal_evaluates_with_the_self_levels_offered_first(world, login, submitted):
    client = login(world.users["principal_a1"])
    r = client.get(url("evaluate", submitted))
    assert r.status_code == 200
    c14 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=14)
    assert r.context["form"][f"level_{c14.pk}"].value() == str(D)
    r = client.post(url("evaluate", submitted), {**_levels_post("tt20_2018_gvpt", K), "comment": "Tốt"})
    assert r.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.EVALUATED and submitted.principal_result == K


def test_an_evaluation_with_a_criterion_missing_is_shown_again(world, login, submitted):
    r = login(world.users["principal_a1"]).post(url("evaluate", submitted), _levels_post("tt20_2018_gvpt", K, c4=None))
    assert r.status_code == 200 and r.context["form"].errors
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


@pytest.mark.parametrize("user", ["teacher_a1", "xa_a1", "so_a"])
def test_the_teacher_and_offices_above_cannot_evaluate_a_teacher(world, login, submitted, user):
    assert login(world.users[user]).get(url("evaluate", submitted)).status_code == 403


def test_the_principals_own_record_is_evaluated_by_the_commune_office(world, login, self_assess, user_for):
    own = self_assess("principal_a1", K)
    assert login(world.users["principal_a1"]).get(url("evaluate", own)).status_code == 403
    client = login(world.users["xa_a1"])
    assert client.get(url("evaluate", own)).status_code == 200
    r = client.post(url("evaluate", own), _levels_post("tt14_2018_hieutruong", T))
    assert r.status_code == 302
    own.refresh_from_db()
    assert own.principal_result == T


# --- opinions -----------------------------------------------------------------------------------


def test_the_subject_group_head_adds_an_opinion_marked_as_such(world, login, group_head, submitted):
    client = login(group_head)
    r = client.post(url("opinion", submitted), {"text": "Tích cực đổi mới phương pháp."})
    assert r.status_code == 302
    assert PeerOpinion.objects.get().author == world.people["colleague_a1"]
    page = login(world.users["teacher_a1"]).get(url("detail", submitted)).content.decode()
    assert "Tích cực đổi mới phương pháp." in page
    assert page.count("data-group-head") == 1


@pytest.mark.parametrize("user", ["teacher_a1", "principal_a1"])
def test_the_owner_and_a_principal_without_staff_record_cannot_add_opinions(world, login, submitted, user):
    assert login(world.users[user]).post(url("opinion", submitted), {"text": "x"}).status_code == 403


def test_opinions_are_posted_only(world, login, user_for, submitted):
    assert login(user_for("colleague_a1")).get(url("opinion", submitted)).status_code == 405


# --- evidence files -----------------------------------------------------------------------------


def test_an_evidence_file_is_404_for_outsiders_and_where_there_is_none(world, login, submitted):
    c1 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=1)
    link = reverse("standards:evidence", kwargs={"uuid": submitted.uuid, "criterion": c1.pk})
    assert login(world.users["teacher_a1"]).get(link).status_code == 404  # no file there
    assert login(world.users["principal_b1"]).get(link).status_code == 404


# --- the list -----------------------------------------------------------------------------------


def test_the_principal_lists_the_schools_assessments_with_counts(world, login, submitted, self_assess):
    self_assess("teacher_a2", T)
    r = login(world.users["principal_a1"]).get(reverse("standards:list"))
    assert r.status_code == 200
    assert list(r.context["page_obj"]) == [submitted]
    assert r.context["counts"].total == 1
    assert r.context["not_started"] == 3  # mentor_a1, colleague_a1, principal_a1 (teacher_a2 is elsewhere)
    assert world.people["teacher_a2"].full_name not in r.content.decode()


def test_the_list_filters_by_status_and_answers_htmx_with_the_table(world, login, submitted):
    client = login(world.users["so_a"])
    r = client.get(reverse("standards:list"), {"status": "evaluated"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and list(r.context["page_obj"]) == []
    assert "<form" not in r.content.decode()


@pytest.mark.parametrize("user", ["teacher_a1", "norole", "institution"])
def test_users_without_the_right_cannot_list_assessments(world, login, user):
    assert login(world.users[user]).get(reverse("standards:list")).status_code == 403
    assert login(world.users[user]).get(reverse("standards:export")).status_code == 403


def test_a_unit_outside_the_scope_is_404_in_the_list_and_the_export(world, login):
    client = login(world.users["principal_a1"])
    foreign = {"unit": str(world.u("th_b1").uuid)}
    assert client.get(reverse("standards:list"), foreign).status_code == 404
    assert client.get(reverse("standards:export"), foreign).status_code == 404


def test_the_export_has_a_row_per_assessment_with_criteria_levels(world, login, submitted):
    r = login(world.users["principal_a1"]).get(reverse("standards:export"))
    assert r.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    header = rows[3]
    person_row = rows[4]
    assert person_row[header.index("Tiêu chí 14")] == "Đ" and person_row[header.index("Tiêu chí 1")] == "K"
    assert person_row[header.index("Xếp loại")] == "K"
    assert world.people["teacher_a1"].full_name in person_row


# --- TEMIS import pages -------------------------------------------------------------------------


def _temis_bytes(world) -> bytes:
    p = world.people["teacher_a1"]
    head = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", *(f"Tiêu chí {i}" for i in range(1, 16)), "Xếp loại"]
    return build_xlsx([["KẾT QUẢ"], head, [1, p.full_name, p.date_of_birth, p.personal_id, *["Khá"] * 15, "Khá"]])


def _upload(client, world, **extra):  # type: ignore[no-untyped-def]
    data = {
        "file": SimpleUploadedFile("temis.xlsx", _temis_bytes(world)),
        "unit": str(world.u("th_a1").uuid),
        "school_year": str(school_year_current().pk),
        "levels_are": "principal",
        **extra,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(TEMIS_NEW, data)


TEMIS_NEW = reverse_lazy("imports:new", args=["temis"])


def job_url(name: str, job: ImportJob) -> str:
    return reverse(f"imports:{name}", kwargs={"uuid": job.uuid})


def test_the_assessments_page_links_to_the_temis_upload(world, login):
    assert str(TEMIS_NEW) in login(world.users["principal_a1"]).get(reverse("standards:list")).content.decode()


def test_the_principal_uploads_a_temis_file_and_sees_the_result(world, login):
    client = login(world.users["principal_a1"])
    assert client.get(TEMIS_NEW).status_code == 200
    r = _upload(client, world)
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == job_url("detail", job)
    assert job.status == ImportJob.Status.DONE
    page = client.get(job_url("detail", job))
    assert page.status_code == 200 and 'id="job-counts"' in page.content.decode()


def test_a_checked_file_is_written_on_confirmation(world, login):
    client = login(world.users["principal_a1"])
    _upload(client, world, check_only="on")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATED
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(job_url("confirm", job)).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and Assessment.objects.count() == 1


def test_a_file_that_is_not_xlsx_is_refused_on_the_form(world, login):
    client = login(world.users["principal_a1"])
    r = client.post(
        TEMIS_NEW,
        {
            "file": SimpleUploadedFile("temis.xlsx", b"not excel"),
            "unit": str(world.u("th_a1").uuid),
            "school_year": str(school_year_current().pk),
            "levels_are": "principal",
        },
    )
    assert r.status_code == 200 and r.context["form"].errors["file"]


@pytest.mark.parametrize("user", ["teacher_a1", "ministry", "norole"])
def test_those_who_may_not_import_cannot_open_the_temis_upload(world, login, user):
    assert login(world.users[user]).get(TEMIS_NEW).status_code == 403


def test_a_temis_import_is_404_outside_the_scope_and_403_without_the_import_right(world, login):
    _upload(login(world.users["principal_a1"]), world, check_only="on")
    job = ImportJob.objects.get()
    for user in ("principal_b1", "principal_a2", "so_b"):
        client = login(world.users[user])
        assert client.get(job_url("detail", job)).status_code == 404
        assert client.post(job_url("confirm", job)).status_code == 404
    client = login(world.users["ministry"])  # sees the school, may not import
    assert client.get(job_url("detail", job)).status_code == 403
    assert client.post(job_url("confirm", job)).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED


# --- query counts do not grow with rows ---------------------------------------------------------


def _queries(client, path: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_export_cost_the_same_queries_for_one_or_many_rows(world, login, self_assess):
    client = login(world.users["so_a"])
    self_assess("teacher_a1", K)
    one = (_queries(client, reverse("standards:list")), _queries(client, reverse("standards:export")))
    for key in ("colleague_a1", "mentor_a1", "teacher_a2", "principal_a1"):
        self_assess(key, T)
    assert (_queries(client, reverse("standards:list")), _queries(client, reverse("standards:export"))) == one


def test_the_record_costs_the_same_queries_whatever_the_number_of_opinions(world, login, submitted):
    from bdtx.standards.models import PeerOpinion

    client = login(world.users["principal_a1"])
    PeerOpinion.objects.create(assessment=submitted, author=world.people["colleague_a1"], text="a")
    one = _queries(client, url("detail", submitted))
    for key in ("mentor_a1", "principal_a1", "colleague_a1"):
        PeerOpinion.objects.create(assessment=submitted, author=world.people[key], text="b")
    assert _queries(client, url("detail", submitted)) == one


# --- a walk of every uuid page with objects of other branches -----------------------------------


@pytest.mark.parametrize(
    ("user", "owner", "school"),
    [
        ("principal_a1", "teacher_a2", "thcs_a2"),
        ("xa_a1", "teacher_a2", "thcs_a2"),
        ("principal_a2", "teacher_a1", "th_a1"),
        ("so_b", "teacher_a1", "th_a1"),
        ("principal_b1", "teacher_a2", "thcs_a2"),
    ],
)
def test_every_standards_page_answers_404_for_another_branchs_objects(world, login, self_assess, user, owner, school):
    a = self_assess(owner, K)
    c1 = Criterion.objects.get(standard__framework=a.framework, number=1)
    job = ImportJob.objects.create(
        kind="temis",
        unit=world.u(school),
        school_year=school_year_current(),
        original_filename="t.xlsx",
        file="temis/t.xlsx",
    )
    client = login(world.users[user])
    urls = [url(n, a) for n in ("detail", "evaluate", "opinion")]
    urls += [reverse("standards:evidence", kwargs={"uuid": a.uuid, "criterion": c1.pk})]
    urls += [job_url(n, job) for n in ("detail", "confirm")]
    for link in urls:
        statuses = {client.get(link).status_code, client.post(link).status_code}
        assert 404 in statuses and statuses <= {404, 405}, (link, statuses)


def test_a_principal_with_a_staff_record_self_assesses_against_the_principals_standard(world, login, user_for):
    r = login(user_for("principal_a1")).get(reverse("standards:mine"))
    html = r.content.decode()
    assert r.status_code == 200 and 'id="criterion-18"' in html
    assert r.context["mine"].framework.code == "tt14_2018_hieutruong"


# --- evidence files: by content, served safely --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("minh-chung.pdf", HTML, "một trang web"),
        ("anh.png", SVG, "một ảnh SVG"),
        ("bao-cao.docx", EXE, "một chương trình"),
    ],
)
def test_an_evidence_file_that_could_run_in_the_site_is_refused_whatever_its_name(world, login, name, content, what):
    c1 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=1)
    r = login(world.users["teacher_a1"]).post(
        reverse("standards:mine"), {f"file_{c1.pk}": SimpleUploadedFile(name, content), "save": "1"}
    )
    [error] = r.context["form"].errors[f"file_{c1.pk}"]
    assert f"Tệp “{name}” là {what}" in error and "Ở đây chỉ nhận:" in error
    assert not Assessment.objects.exists()


def test_an_evidence_picture_is_shown_inline_with_its_own_type_and_nosniff(world, login):
    c1 = Criterion.objects.get(standard__framework__code="tt20_2018_gvpt", number=1)
    client = login(world.users["teacher_a1"])
    client.post(reverse("standards:mine"), {f"file_{c1.pk}": SimpleUploadedFile("anh.png", PNG), "save": "1"})
    a = Assessment.objects.get(person=world.people["teacher_a1"])
    response = client.get(reverse("standards:evidence", kwargs={"uuid": a.uuid, "criterion": c1.pk}))
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert response["Content-Disposition"].startswith("inline")
