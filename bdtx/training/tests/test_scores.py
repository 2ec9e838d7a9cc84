"""Scores (issue 9): a cohort's assessed components, the score grid (row by row, Vietnamese decimal
comma, the pass mark of the regime, the lock of an approved completion list), the .xlsx import through
the shared pipeline, and practice work handed in by the learner and graded by their core teacher:
scope (404 outside, 403 inside without the right), audit, constant queries."""

import io
import zipfile
from decimal import Decimal

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm
from bdtx.regimes.models import Regime
from bdtx.training import scores
from bdtx.training.lms import lms_username
from bdtx.training.models import (
    AssessmentComponent,
    Assessor,
    CompletionList,
    CompletionListStatus,
    CompletionSignal,
    ComponentKind,
    Enrolment,
    LmsResult,
    LmsSource,
    PracticeWork,
    Score,
    ScoreSource,
)
from bdtx.training.services import enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def sw(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A assessed by cs_dt: four learners of th_a1 (teacher_a1 first of
    them) in mentor_a1's group; its default components (the LMS's test, the practice work graded by
    the core teacher); a cohort of province B."""
    people = [world.people["teacher_a1"], *staff(world.u("th_a1"), 3)]
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    b = cohort(world, mods, organiser="so_b", name="Lớp tỉnh Bình", module=mods.ql)
    enrolments = {e.person_id: e for e in Enrolment.objects.filter(cohort=c).select_related("person", "unit")}
    return {
        "c": c,
        "b": b,
        "people": people,
        "e": [enrolments[p.pk] for p in people],
        "lms": c.components.get(assessed_by=Assessor.LMS),
        "practice": c.components.get(kind=ComponentKind.PRACTICE),
    }


def _scope(world, key):  # type: ignore[no-untyped-def]
    return scope_for_user(world.users[key])


def _lock(world, c, enrolment):  # type: ignore[no-untyped-def]
    lst = CompletionList.objects.create(cohort=c, office=world.u("xa_a1"), status=CompletionListStatus.APPROVED)
    Enrolment.objects.filter(pk=enrolment.pk).update(completion_list=lst)
    enrolment.refresh_from_db()
    return lst


# --- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7,5", "7.50"),
        ("7.5", "7.50"),
        (" 10 ", "10.00"),
        ("0", "0.00"),
        ("4,999", "5.00"),
        (8, "8.00"),
        (6.25, "6.25"),
    ],
)
def test_a_score_is_read_with_a_comma_or_a_point(text, value):
    assert scores.parse_score(text) == Decimal(value)


@pytest.mark.parametrize("text", ["10.01", "10,5", "-1", "abc", "", "NaN", "Infinity", "1e3", True])
def test_a_score_outside_zero_to_ten_or_junk_is_refused(text):
    with pytest.raises(ValueError):
        scores.parse_score(text)


def test_the_pass_mark_is_the_regimes_of_the_cohorts_year(world, sw):
    c = sw["c"]
    regime = Regime.objects.for_year(c.school_year)
    assert scores.pass_mark_for(c) == regime.pass_mark == Decimal("5.00")


def test_an_organiser_sets_a_score_audited_old_to_new(world, sw):
    e, practice = sw["e"][0], sw["practice"]
    so = _scope(world, "so_a")
    assert scores.score_set(scope=so, enrolment=e, component=practice, value="7,5")
    assert scores.score_set(scope=so, enrolment=e, component=practice, value="8")
    assert not scores.score_set(scope=so, enrolment=e, component=practice, value="8.00")  # the same again
    s = Score.objects.get(enrolment=e, component=practice)
    assert (s.value, s.source, s.entered_by) == (Decimal("8.00"), ScoreSource.GRID, world.users["so_a"])
    entries = list(AuditLog.objects.filter(action="score.set").order_by("id"))
    assert [x.changes["score"] for x in entries] == [[None, "7.5"], ["7.5", "8"]]
    assert entries[0].note == "" and entries[0].actor == world.users["so_a"]


def test_a_score_over_ten_is_refused_naming_the_learner_and_the_component(world, sw):
    e, practice = sw["e"][0], sw["practice"]
    with pytest.raises(ValidationError) as err:
        scores.score_set(scope=_scope(world, "so_a"), enrolment=e, component=practice, value="10.01")
    message = " ".join(err.value.messages)
    assert e.person.full_name in message and practice.name in message and "0 đến 10" in message, message
    assert not Score.objects.exists() and not AuditLog.objects.filter(action="score.set").exists()


def test_the_institution_enters_scores_and_the_core_teacher_or_another_province_cannot(world, sw):
    e, practice = sw["e"][1], sw["practice"]
    scores.score_set(scope=_scope(world, "institution"), enrolment=e, component=practice, value="6")
    for key in ("mentor_a1", "so_b", "principal_a1", "teacher_a1"):
        with pytest.raises(PermissionDenied):
            scores.score_set(scope=_scope(world, key), enrolment=e, component=practice, value="9")
    assert Score.objects.get().value == Decimal("6.00")


def test_a_score_of_the_lms_test_is_not_entered_by_hand(world, sw):
    with pytest.raises(ValidationError):
        scores.score_set(scope=_scope(world, "so_a"), enrolment=sw["e"][0], component=sw["lms"], value="9")


def test_after_the_list_is_approved_a_change_needs_a_reason_kept_in_the_audit_note(world, sw):
    c, e, practice = sw["c"], sw["e"][0], sw["practice"]
    so = _scope(world, "so_a")
    scores.score_set(scope=so, enrolment=e, component=practice, value="6")
    _lock(world, c, e)
    with pytest.raises(ValidationError):
        scores.score_set(scope=so, enrolment=e, component=practice, value="7")
    assert Score.objects.get().value == Decimal("6.00")
    scores.score_set(scope=so, enrolment=e, component=practice, value="7", reason="Chấm phúc khảo")
    entry = AuditLog.objects.filter(action="score.set").order_by("-id").first()
    assert entry.note == "Chấm phúc khảo" and entry.changes["score"] == ["6", "7"]


def test_a_row_is_all_or_nothing_and_names_each_bad_cell(world, sw):
    c, e, practice = sw["c"], sw["e"][0], sw["practice"]
    research = scores.component_add(
        scope=_scope(world, "so_a"), cohort=c, kind=ComponentKind.RESEARCH, name="Bài nghiên cứu", assessed_by="mentor"
    )
    with pytest.raises(ValidationError) as err:
        scores.scores_set_row(scope=_scope(world, "so_a"), enrolment=e, values={practice: "8", research: "mười"})
    assert len(err.value.messages) == 1 and "Bài nghiên cứu" in err.value.messages[0]
    assert not Score.objects.exists()
    n = scores.scores_set_row(scope=_scope(world, "so_a"), enrolment=e, values={practice: "8", research: "4,5"})
    assert n == 2 and AuditLog.objects.filter(action="score.set").count() == 2


# --- components ----------------------------------------------------------------------------------


def test_the_organiser_adds_a_component_and_removes_one_without_scores(world, sw):
    c = sw["c"]
    so = _scope(world, "so_a")
    comp = scores.component_add(
        scope=so, cohort=c, kind=ComponentKind.RESEARCH, name="Bài tập nghiên cứu", assessed_by="institution"
    )
    with pytest.raises(ValidationError):  # the same name again
        scores.component_add(
            scope=so, cohort=c, kind=ComponentKind.OTHER, name="bài tập nghiên cứu", assessed_by="institution"
        )
    with pytest.raises(ValidationError):  # the LMS scores only its test
        scores.component_add(scope=so, cohort=c, kind=ComponentKind.OTHER, name="Khác", assessed_by="lms")
    with pytest.raises(PermissionDenied):  # the institution assesses; it does not organise
        scores.component_add(
            scope=_scope(world, "institution"), cohort=c, kind="other", name="Khác", assessed_by="institution"
        )
    scores.score_set(scope=so, enrolment=sw["e"][0], component=sw["practice"], value="5")
    with pytest.raises(ValidationError):
        scores.component_remove(scope=so, component=sw["practice"])
    scores.component_remove(scope=so, component=comp)
    assert not AssessmentComponent.objects.filter(pk=comp.pk).exists()
    assert AuditLog.objects.filter(action__in=["component.add", "component.remove"]).count() == 2


def test_the_components_are_added_and_removed_on_the_score_sheet(world, sw, login):
    c = sw["c"]
    client = login(world.users["so_a"])
    url = reverse("training:score_components", kwargs={"uuid": c.uuid})
    r = client.post(url, {"name": "Bài kiểm tra cuối khóa", "kind": "other", "assessed_by": "institution"})
    assert r.status_code == 302
    comp = AssessmentComponent.objects.get(cohort=c, name="Bài kiểm tra cuối khóa")
    page = client.get(reverse("training:scores", kwargs={"uuid": c.uuid})).content.decode()
    assert "Bài kiểm tra cuối khóa" in page and f'name="remove" value="{comp.pk}"' in page
    assert client.post(url, {"remove": str(comp.pk)}).status_code == 302
    assert not AssessmentComponent.objects.filter(pk=comp.pk).exists()
    other = sw["b"].components.first()
    assert client.post(url, {"remove": str(other.pk)}).status_code == 404  # another cohort's component
    assert AssessmentComponent.objects.filter(pk=other.pk).exists()


# --- the grid ------------------------------------------------------------------------------------


def _grid(client, c, **params):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as q:
        r = client.get(reverse("training:scores", kwargs={"uuid": c.uuid}), params)
    assert r.status_code == 200
    return len(q), r.content.decode()


def test_the_grid_marks_scores_under_the_pass_mark_4_99_but_not_5_00(world, sw, login):
    c, e, practice = sw["c"], sw["e"], sw["practice"]
    so = _scope(world, "so_a")
    scores.score_set(scope=so, enrolment=e[0], component=practice, value="4,99")
    scores.score_set(scope=so, enrolment=e[1], component=practice, value="5")
    LmsResult.objects.create(
        enrolment=e[2], score=Decimal("3.50"), passed=False, source=LmsSource.IMPORT, recorded_at="2026-12-01T08:00Z"
    )
    _n, page = _grid(login(world.users["so_a"]), c)
    below = f'id="s-{e[0].uuid}-{practice.pk}"'
    fine = f'id="s-{e[1].uuid}-{practice.pk}"'
    assert "score-below" in page.split(below)[0].rsplit("<input", 1)[1]
    assert "score-below" not in page.split(fine)[0].rsplit("<input", 1)[1]
    assert 'value="4.99"' in page and 'value="5"' in page
    # the LMS's score is shown, read-only, and marked under the pass mark
    assert f'id="s-{e[2].uuid}-{sw["lms"].pk}"' not in page and '<span class="score-below">3.5</span>' in page


def test_the_grid_lists_learners_the_vietnamese_way_with_constant_queries(world, mods, sw, login):
    c = sw["c"]
    client = login(world.users["so_a"])
    so = _scope(world, "so_a")
    for e in sw["e"]:
        scores.score_set(scope=so, enrolment=e, component=sw["practice"], value="6")
    before, page = _grid(client, c)
    names = [e.person for e in sw["e"]]
    order = sorted(names, key=lambda p: (p.sort_key, p.pk))
    positions = [page.index(p.full_name) for p in order]
    assert positions == sorted(positions)
    more = staff(world.u("th_a1"), 8)
    for p in more:
        approve(p, world.u("th_a1"), mods.gv)
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    for e in Enrolment.objects.filter(cohort=c, person__in=more):
        scores.score_set(scope=so, enrolment=e, component=sw["practice"], value="7,25")
    after, page = _grid(client, c)
    assert after == before and page.count('value="7.25"') == 8


def test_a_row_is_saved_with_htmx_and_a_locked_row_asks_for_a_reason(world, sw, login):
    c, e, practice = sw["c"], sw["e"][0], sw["practice"]
    client = login(world.users["so_a"])
    url = reverse("training:scores", kwargs={"uuid": c.uuid})
    field = f"c{practice.pk}"
    r = client.post(url, {"enrolment": str(e.uuid), field: "7,5"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'role="status"' in r.content.decode()
    assert f'id="cell-{e.uuid}-{practice.pk}" hx-swap-oob="true"' in r.content.decode()
    assert Score.objects.get(enrolment=e).value == Decimal("7.50")
    r = client.post(url, {"enrolment": str(e.uuid), field: "11"}, HTTP_HX_REQUEST="true")
    text = r.content.decode()
    assert r.status_code == 200 and 'role="alert"' in text and e.person.full_name in text
    _lock(world, c, e)
    _n, page = _grid(client, c)
    assert f'id="reason-{e.uuid}"' in page and f'id="reason-{sw["e"][1].uuid}"' not in page
    r = client.post(url, {"enrolment": str(e.uuid), field: "9"}, HTTP_HX_REQUEST="true")
    assert 'role="alert"' in r.content.decode() and Score.objects.get(enrolment=e).value == Decimal("7.50")
    r = client.post(url, {"enrolment": str(e.uuid), field: "9", "reason": "Nhập nhầm"})
    assert r.status_code == 302 and Score.objects.get(enrolment=e).value == Decimal("9.00")
    assert AuditLog.objects.filter(action="score.set").order_by("-id").first().note == "Nhập nhầm"
    # a learner of another cohort is not found here
    other = Enrolment.objects.exclude(cohort=c).first() or sw["e"][0]
    if other.cohort_id != c.pk:
        assert client.post(url, {"enrolment": str(other.uuid), field: "9"}).status_code == 404


def test_a_viewer_without_the_right_to_assess_reads_the_grid_without_inputs(world, sw, login, monkeypatch):
    c = sw["c"]
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_ASSESS}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    scores.score_set(scope=_scope(world, "institution"), enrolment=sw["e"][0], component=sw["practice"], value="8")
    client = login(world.users["so_a"])
    _n, page = _grid(client, c)
    assert "<span>8</span>" in page and 'inputmode="decimal"' not in page and 'id="scores-import"' not in page
    url = reverse("training:scores", kwargs={"uuid": c.uuid})
    assert client.post(url, {"enrolment": str(sw["e"][0].uuid)}).status_code == 403


SCORE_PAGES = [
    ("get", "training:scores"),
    ("post", "training:scores"),
    ("post", "training:score_components"),
    ("post", "training:scores_import"),
    ("get", "training:scores_template"),
]


@pytest.mark.parametrize(("method", "name"), SCORE_PAGES)
@pytest.mark.parametrize("user", ["so_b", "xa_a1", "principal_a1", "teacher_a1", "mentor_a1", "norole"])
def test_score_pages_outside_the_scope_answer_404(world, sw, login, method, name, user):
    url = reverse(name, kwargs={"uuid": sw["c"].uuid})
    assert getattr(login(world.users[user]), method)(url).status_code == 404


@pytest.mark.parametrize(
    ("removed", "refused"),
    [
        (Perm.TRAINING_VIEW, {("get", "training:scores"), ("post", "training:scores")}),
        (
            Perm.TRAINING_ASSESS,
            {("post", "training:scores"), ("post", "training:scores_import"), ("get", "training:scores_template")},
        ),
        (Perm.TRAINING_MANAGE, {("post", "training:score_components")}),
    ],
)
def test_score_pages_inside_the_scope_without_the_right_answer_403(world, sw, login, monkeypatch, removed, refused):
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {removed}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    client = login(world.users["so_a"])
    for method, name in refused:
        url = reverse(name, kwargs={"uuid": sw["c"].uuid})
        assert getattr(client, method)(url).status_code == 403, (method, name)


def test_the_cohort_page_links_the_score_sheet(world, sw, login):
    page = login(world.users["institution"]).get(reverse("training:detail", kwargs={"uuid": sw["c"].uuid}))
    assert reverse("training:scores", kwargs={"uuid": sw["c"].uuid}) in page.content.decode()


# --- import ----------------------------------------------------------------------------------------


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


def _upload(client, c, content, django_capture_on_commit_callbacks, **data):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("training:scores_import", kwargs={"uuid": c.uuid}),
            {"file": SimpleUploadedFile("bang diem.xlsx", content), **data},
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ImportJob.objects.order_by("-id").first()
    assert r["Location"] == job.get_absolute_url()
    return job


def test_a_clean_scores_file_is_imported_at_once_and_each_change_audited(
    world, sw, login, django_capture_on_commit_callbacks
):
    c, e, practice = sw["c"], sw["e"], sw["practice"]
    e[1].person.email = "gv2@example.vn"
    e[1].person.save()
    scores.score_set(scope=_scope(world, "so_a"), enrolment=e[2], component=practice, value="3")
    header = ["STT", "Tên đăng nhập", "Email", "Họ và tên", practice.name]
    rows = [
        [1, lms_username(e[0].person), None, "A", 8.5],
        [2, None, "GV2@example.vn", "B", "7,25"],
        [3, lms_username(e[2].person), None, "C", 6],
        [4, lms_username(e[3].person), None, "D", None],  # nothing to write for this one
    ]
    job = _upload(login(world.users["institution"]), c, _xlsx(header, rows), django_capture_on_commit_callbacks)
    assert job.kind == "scores" and job.status == ImportJob.Status.DONE, job.problems
    assert job.unit == world.u("cs_dt")
    got = {s.enrolment_id: (s.value, s.source) for s in Score.objects.filter(component=practice)}
    assert got == {
        e[0].pk: (Decimal("8.50"), ScoreSource.IMPORT),
        e[1].pk: (Decimal("7.25"), ScoreSource.IMPORT),
        e[2].pk: (Decimal("6.00"), ScoreSource.IMPORT),
    }
    imported = AuditLog.objects.filter(action="score.set", source=AuditLog.Source.IMPORT)
    assert imported.count() == 3 and imported.get(object_uuid=e[2].uuid).changes["score"] == ["3", "6"]
    assert AuditLog.objects.filter(action="score.import").count() == 1


def test_a_scores_file_with_bad_cells_writes_nothing_and_says_row_and_column(
    world, sw, login, django_capture_on_commit_callbacks
):
    c, e, practice = sw["c"], sw["e"], sw["practice"]
    _lock(world, c, e[3])
    outsider = staff(world.u("th_a1"), 1)[0]
    header = ["STT", "Tên đăng nhập", "Họ và tên", f"Điểm {practice.name}"]
    rows = [
        [1, lms_username(e[0].person), "A", 9],  # fine
        [2, lms_username(e[1].person), "B", "10,5"],  # over 10
        [3, lms_username(outsider), "C", 5],  # not in the cohort
        [4, lms_username(e[2].person), "D", "tám"],  # not a number
        [5, lms_username(e[3].person), "E", 7],  # approved list: the grid, with a reason
        [6, lms_username(e[0].person), "A", 9],  # the same learner again
    ]
    client = login(world.users["so_a"])
    job = _upload(client, c, _xlsx(header, rows), django_capture_on_commit_callbacks, check_only="on")
    assert job.status == ImportJob.Status.VALIDATED
    found = {(p["row"], p["col"]) for p in job.problems}
    assert found == {(3, "D"), (4, "B"), (5, "D"), (6, ""), (7, "")}, job.problems
    text = " ".join(p["message"] for p in job.problems)
    assert "0 đến 10" in text and practice.name in text and "Không có học viên" in text
    assert not Score.objects.exists()
    assert login(world.users["so_b"]).get(job.get_absolute_url()).status_code == 404
    job = run_confirm(job, user=world.users["so_a"], only_valid=True)
    assert job.status == ImportJob.Status.DONE
    assert list(Score.objects.values_list("enrolment_id", "value")) == [(e[0].pk, Decimal("9.00"))]


def test_a_file_without_a_column_of_scores_is_refused_as_a_whole(world, sw, login, django_capture_on_commit_callbacks):
    c, e = sw["c"], sw["e"]
    header = ["STT", "Tên đăng nhập", "Họ và tên", "Ghi chú"]
    job = _upload(
        login(world.users["so_a"]),
        c,
        _xlsx(header, [[1, lms_username(e[0].person), "A", "x"]]),
        django_capture_on_commit_callbacks,
    )
    assert job.status != ImportJob.Status.DONE and not Score.objects.exists()
    assert any(p["code"] == "column.missing" for p in job.problems), job.problems


def test_the_template_lists_the_learners_and_a_column_per_component_formulas_as_text(world, sw, login):
    c, e = sw["c"], sw["e"]
    scores.component_add(
        scope=_scope(world, "so_a"), cohort=c, kind="other", name='=HYPERLINK("x")', assessed_by="institution"
    )
    scores.score_set(scope=_scope(world, "so_a"), enrolment=e[0], component=sw["practice"], value="6,5")
    r = login(world.users["institution"]).get(reverse("training:scores_template", kwargs={"uuid": c.uuid}))
    assert r.status_code == 200
    content = b"".join(r.streaming_content) if r.streaming else r.content
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    head = rows[0]
    assert sw["practice"].name in head and '=HYPERLINK("x")' in head and sw["lms"].name not in head
    assert {row[1] for row in rows[1:]} == {lms_username(x.person) for x in e}
    mine = next(row for row in rows[1:] if row[1] == lms_username(e[0].person))
    assert mine[head.index(sw["practice"].name)] == 6.5
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet


# --- practice work --------------------------------------------------------------------------------


def _pdf(name: str = "bai thu hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _submit(world, sw, key="teacher_a1", n=0, upload=None):  # type: ignore[no-untyped-def]
    return scores.practice_submit(
        scope=_scope(world, key), enrolment=sw["e"][n], component=sw["practice"], upload=upload or _pdf(), note="Bài 1"
    )


def test_a_learner_hands_in_practice_work_for_their_own_enrolment_only(world, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    assert work.filename == "bai thu hoach.pdf" and work.file.read() == PDF
    _submit(world, sw)  # a second submission is kept beside the first
    assert PracticeWork.objects.filter(enrolment=sw["e"][0]).count() == 2
    for key in ("mentor_a1", "so_a", "principal_a1"):
        with pytest.raises(PermissionDenied):
            _submit(world, sw, key=key)
    with pytest.raises(ValidationError):  # not a practice component
        scores.practice_submit(
            scope=_scope(world, "teacher_a1"), enrolment=sw["e"][0], component=sw["lms"], upload=_pdf()
        )
    assert AuditLog.objects.filter(action="practice.submit").count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"<html><body><script>alert(1)</script></body></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
    ],
    ids=["html", "svg"],
)
def test_a_hostile_upload_is_refused_whatever_its_name(world, sw, settings, tmp_path, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        _submit(world, sw, upload=SimpleUploadedFile("bai.pdf", content))
    assert not PracticeWork.objects.exists()


@pytest.mark.parametrize(("score", "passed"), [("4,99", False), ("5,00", True)])
def test_the_core_teacher_grades_at_the_pass_mark_and_marks_the_module(world, sw, settings, tmp_path, score, passed):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    s = scores.practice_grade(scope=_scope(world, "mentor_a1"), work=work, score=score, comment="Bài làm tốt")
    work.refresh_from_db()
    assert work.score == Decimal(score.replace(",", ".")) and work.comment == "Bài làm tốt"
    assert work.graded_by == world.users["mentor_a1"] and work.graded_at is not None
    assert (s.value, s.source, s.component) == (work.score, ScoreSource.PRACTICE, sw["practice"])
    signal = CompletionSignal.objects.get(enrolment=sw["e"][0], party=Assessor.MENTOR)
    assert signal.passed is passed and signal.source == "practice"
    entry = AuditLog.objects.get(action="practice.grade")
    assert entry.changes["score"][1] == score.replace(",", ".").rstrip("0").rstrip(".")


def test_only_the_groups_core_teacher_grades_and_only_the_latest_submission(world, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = _submit(world, sw)
    latest = _submit(world, sw)
    for key in ("so_a", "institution", "teacher_a1", "principal_a1"):
        with pytest.raises(PermissionDenied):
            scores.practice_grade(scope=_scope(world, key), work=latest, score="8", comment="x")
    with pytest.raises(ValidationError):
        scores.practice_grade(scope=_scope(world, "mentor_a1"), work=first, score="8", comment="x")
    with pytest.raises(ValidationError):
        scores.practice_grade(scope=_scope(world, "mentor_a1"), work=latest, score="10.01", comment="x")
    assert not Score.objects.exists() and not CompletionSignal.objects.exists()


def test_grading_after_the_list_is_approved_needs_a_reason(world, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    _lock(world, sw["c"], sw["e"][0])
    mentor = _scope(world, "mentor_a1")
    with pytest.raises(ValidationError):
        scores.practice_grade(scope=mentor, work=work, score="8", comment="Tốt")
    scores.practice_grade(scope=mentor, work=work, score="8", comment="Tốt", reason="Chấm lại theo phúc khảo")
    assert AuditLog.objects.get(action="practice.grade").note == "Chấm lại theo phúc khảo"


def test_the_learner_hands_in_on_the_page_and_reads_the_grade_and_comment(world, sw, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    e = sw["e"][0]
    learner = login(world.users["teacher_a1"])
    home = learner.get("/").content.decode()
    url = reverse("training:practice", kwargs={"uuid": e.uuid})
    assert url in home
    r = learner.post(url, {"component": sw["practice"].pk, "file": _pdf(), "note": "Bài thu hoạch mô đun"})
    assert r.status_code == 302
    work = PracticeWork.objects.get()
    mentor = login(world.users["mentor_a1"])
    page = mentor.get(url).content.decode()
    assert f'id="grade-form-{work.uuid}"' in page
    r = mentor.post(url, {"grade": str(work.uuid), "score": "8,5", "comment": "Cần bổ sung minh chứng"})
    assert r.status_code == 302
    learner = login(world.users["teacher_a1"])
    page = learner.get(url).content.decode()
    assert "8.5" in page or "8,5" in page
    assert "Cần bổ sung minh chứng" in page and "grade-form" not in page
    r = learner.post(url, {"grade": str(work.uuid), "score": "10", "comment": "x"})
    assert r.status_code == 403


def test_the_core_teachers_page_counts_work_to_grade_with_constant_queries(world, mods, sw, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    mentor = login(world.users["mentor_a1"])
    _submit(world, sw)

    def page():  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as q:
            r = mentor.get(reverse("training:my_groups"))
        return len(q), r.content.decode()

    before, text = page()
    assert "data-practice-to-grade" in text and reverse("training:practice", kwargs={"uuid": sw["e"][0].uuid}) in text
    for n in (1, 2, 3):
        scores.practice_submit(scope=SYSTEM, enrolment=sw["e"][n], component=sw["practice"], upload=_pdf())
    after, text = page()
    assert after == before and text.count('class="badge text-bg-primary">') >= 4


@pytest.mark.parametrize("user", ["so_b", "principal_a2", "principal_b1", "norole"])
def test_practice_pages_outside_the_scope_answer_404(world, sw, login, settings, tmp_path, user):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    client = login(world.users[user])
    assert client.get(reverse("training:practice", kwargs={"uuid": sw["e"][0].uuid})).status_code == 404
    assert client.post(reverse("training:practice", kwargs={"uuid": sw["e"][0].uuid})).status_code == 404
    assert client.get(reverse("training:practice_file", kwargs={"uuid": work.uuid})).status_code == 404


def test_practice_pages_inside_the_scope_without_the_right_answer_403(
    world, sw, login, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    weaker = ROLE_PERMISSIONS[Role.SCHOOL_ADMIN] - {Perm.TRAINING_VIEW}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.SCHOOL_ADMIN, weaker)
    client = login(world.users["principal_a1"])
    assert client.get(reverse("training:practice", kwargs={"uuid": sw["e"][0].uuid})).status_code == 403
    assert client.get(reverse("training:practice_file", kwargs={"uuid": work.uuid})).status_code == 403


def test_the_file_is_served_as_a_download_to_the_learner_the_core_teacher_and_the_institution(
    world, sw, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    work = _submit(world, sw)
    for user in ("teacher_a1", "mentor_a1", "institution", "so_a"):
        r = login(world.users[user]).get(reverse("training:practice_file", kwargs={"uuid": work.uuid}))
        assert r.status_code == 200, user
        assert r["Content-Disposition"].startswith("attachment") and r["X-Content-Type-Options"] == "nosniff"
        assert b"".join(r.streaming_content) == PDF
