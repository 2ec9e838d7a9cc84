"""The questionnaire pages: the list (the unit's own, editable; the shared one, read-only), creating
one with the three kinds of question, changing it until learners answer it, putting it to every
cohort of a module; 404 outside the scope, 403 inside without the right."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.catalog.models import Catalog, Module
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import as_person
from bdtx.people.models import Audience
from bdtx.surveys import services
from bdtx.surveys.models import Question, QuestionKind, Questionnaire, QuestionnaireStatus, Survey
from bdtx.training.models import Cohort

pytestmark = pytest.mark.django_db

SHARED = "Phiếu khảo sát ý kiến học viên"


def formset(*questions: dict[str, Any], initial: int = 0) -> dict[str, Any]:
    """POST data of the questions' formset."""
    data: dict[str, Any] = {
        "q-TOTAL_FORMS": str(len(questions)),
        "q-INITIAL_FORMS": str(initial),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "100",
    }
    for i, q in enumerate(questions):
        for k, v in q.items():
            if v is True:
                data[f"q-{i}-{k}"] = "on"
            elif v not in (False, None):
                data[f"q-{i}-{k}"] = v
    return data


THREE = (
    {"kind": "likert5", "text": "Nội dung hữu ích.", "required": True, "counts_for_satisfaction": True, "ORDER": "1"},
    {"kind": "open", "text": "Góp ý thêm?", "ORDER": "3"},
    {
        "kind": "single",
        "text": "Bạn học bằng gì?",
        "choices": "Điện thoại\n\nMáy tính\n",
        "required": True,
        "ORDER": "2",
    },
    {"kind": "likert5", "text": "", "required": True},  # an empty row left as it came
)


def own(world, title: str = "Phiếu của Sở", owner: str = "so_a", **kw: Any) -> Questionnaire:  # type: ignore[no-untyped-def]
    return services.questionnaire_create(
        scope=SYSTEM,
        owner=world.u(owner),
        title=title,
        questions=[services.QuestionSpec(QuestionKind.LIKERT5, "Câu 1", counts_for_satisfaction=True)],
        **kw,
    )


def test_the_list_shows_the_units_own_and_the_shared_one(world, login):
    mine = own(world)
    theirs = own(world, "Phiếu của Sở B", owner="so_b")
    r = login(world.users["so_a"]).get(reverse("surveys:questionnaires"))
    assert r.status_code == 200
    html = r.content.decode()
    assert mine.title in html and SHARED in html and theirs.title not in html
    edit = reverse("surveys:questionnaire_edit", args=[mine.uuid])
    shared = Questionnaire.objects.get(owner=None, title__startswith=SHARED)
    assert edit in html and reverse("surveys:questionnaire_edit", args=[shared.uuid]) not in html


@pytest.mark.parametrize("who", ["ministry", "teacher_a1", "institution"])
def test_the_list_is_for_training_managers(world, login, who):
    assert login(world.users[who]).get(reverse("surveys:questionnaires")).status_code == 403
    assert login(world.users[who]).get(reverse("surveys:questionnaire_create")).status_code == 403
    assert login(world.users[who]).get(reverse("surveys:attach_module")).status_code == 403


def test_the_lists_queries_do_not_grow_with_its_rows(world, login):
    client = login(world.users["so_a"])
    own(world)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("surveys:questionnaires"))
    for i in range(5):
        own(world, f"Phiếu {i}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("surveys:questionnaires")).content.decode().count("data-questionnaire=") >= 7
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize("name", ["surveys:questionnaire", "surveys:questionnaire_edit"])
def test_another_provinces_questionnaire_is_404_and_a_viewer_gets_403(world, login, name):
    url = reverse(name, args=[own(world).uuid])
    assert login(world.users["so_b"]).get(url).status_code == 404
    assert login(world.users["principal_b1"]).get(url).status_code == 404
    assert login(world.users["ministry"]).get(url).status_code == 403  # sees every unit, manages none
    assert login(world.users["so_a"]).get(url).status_code == 200


def test_the_shared_questionnaire_is_read_only(world, login):
    shared = Questionnaire.objects.get(owner=None, title__startswith=SHARED)
    client = login(world.users["so_a"])
    r = client.get(reverse("surveys:questionnaire", args=[shared.uuid]))
    assert r.status_code == 200 and reverse("surveys:questionnaire_edit", args=[shared.uuid]) not in r.content.decode()
    assert client.get(reverse("surveys:questionnaire_edit", args=[shared.uuid])).status_code == 403
    assert client.post(reverse("surveys:questionnaire_edit", args=[shared.uuid]), {"title": "X"}).status_code == 403
    assert Questionnaire.objects.get(pk=shared.pk).title == shared.title


def test_an_office_creates_a_questionnaire_with_the_three_kinds(world, login):
    client = login(world.users["so_a"])
    data = {"owner": world.u("so_a").pk, "title": "Phiếu mô đun 4", "intro": "", "satisfied_from": "4"}
    r = client.post(reverse("surveys:questionnaire_create"), data | {"status": "published"} | formset(*THREE))
    qn = Questionnaire.objects.get(title="Phiếu mô đun 4")
    assert r.status_code == 302 and r["Location"] == reverse("surveys:questionnaire", args=[qn.uuid])
    assert qn.owner == world.u("so_a") and qn.status == QuestionnaireStatus.PUBLISHED
    rows = list(qn.questions.order_by("position").values_list("kind", "text", "choices", "counts_for_satisfaction"))
    assert rows == [
        ("likert5", "Nội dung hữu ích.", [], True),
        ("single", "Bạn học bằng gì?", ["Điện thoại", "Máy tính"], False),  # ordered by the numbers given
        ("open", "Góp ý thêm?", [], False),
    ]
    assert AuditLog.objects.filter(action="questionnaire.create", object_uuid=qn.uuid).exists()


def test_a_choice_question_without_two_choices_is_refused_and_nothing_is_written(world, login):
    client = login(world.users["so_a"])
    data = {"owner": world.u("so_a").pk, "title": "Phiếu lỗi", "satisfied_from": "4", "status": "draft"}
    bad = {"kind": "single", "text": "Chọn một", "choices": "Chỉ một", "ORDER": "1"}
    r = client.post(reverse("surveys:questionnaire_create"), data | formset(bad))
    assert r.status_code == 200 and "ít nhất hai lựa chọn" in r.content.decode()
    empty = client.post(reverse("surveys:questionnaire_create"), data | formset(THREE[3]))
    assert empty.status_code == 200 and "ít nhất một câu hỏi" in empty.content.decode()
    assert not Questionnaire.objects.filter(title="Phiếu lỗi").exists()


def test_a_unit_cannot_keep_a_questionnaire_for_a_unit_it_does_not_manage(world, login):
    client = login(world.users["principal_a1"])
    data = {"owner": world.u("so_a").pk, "title": "Phiếu mượn", "satisfied_from": "4", "status": "draft"}
    r = client.post(reverse("surveys:questionnaire_create"), data | formset(THREE[1]))
    assert r.status_code == 200 and not Questionnaire.objects.filter(title="Phiếu mượn").exists()


def test_copying_the_shared_questionnaire_starts_from_its_questions(world, login):
    shared = Questionnaire.objects.get(owner=None, title__startswith=SHARED)
    r = login(world.users["so_a"]).get(reverse("surveys:questionnaire_create") + f"?from={shared.uuid}")
    first = shared.questions.order_by("position").first()
    assert r.status_code == 200 and first is not None and first.text in r.content.decode()
    other = own(world, owner="so_b")
    assert (
        login(world.users["so_a"]).get(reverse("surveys:questionnaire_create") + f"?from={other.uuid}").status_code
        == 404
    )


def _edit_data(qn: Questionnaire, *rows: dict[str, Any], initial: int) -> dict[str, Any]:
    return {"title": qn.title + " (sửa)", "intro": "", "satisfied_from": "4", "status": qn.status} | formset(
        *rows, initial=initial
    )


def test_an_unanswered_questionnaire_changes_its_questions(world, login):
    qn = own(world)
    rows = (
        {"kind": "likert5", "text": "Câu 1", "required": True, "counts_for_satisfaction": True, "ORDER": "1"},
        {"kind": "open", "text": "Câu mới", "ORDER": "2"},
    )
    r = login(world.users["so_a"]).post(
        reverse("surveys:questionnaire_edit", args=[qn.uuid]), _edit_data(qn, *rows, initial=1)
    )
    assert r.status_code == 302
    qn.refresh_from_db()
    assert qn.version == 2 and list(qn.questions.values_list("text", flat=True)) == ["Câu 1", "Câu mới"]


def test_saving_without_changing_the_questions_keeps_them_and_the_version(world, login):
    qn = own(world)
    before = list(qn.questions.values_list("pk", flat=True))
    row = {"kind": "likert5", "text": "Câu 1", "required": True, "counts_for_satisfaction": True, "ORDER": "1"}
    r = login(world.users["so_a"]).post(
        reverse("surveys:questionnaire_edit", args=[qn.uuid]), _edit_data(qn, row, initial=1)
    )
    assert r.status_code == 302
    qn.refresh_from_db()
    assert qn.version == 1 and list(qn.questions.values_list("pk", flat=True)) == before


def test_an_answered_questionnaire_keeps_its_questions_and_rule(world, login, cohort, enrol, scope_of):
    from datetime import timedelta

    from django.utils import timezone

    qn = own(world, status=QuestionnaireStatus.PUBLISHED)
    today = timezone.localdate()
    survey = services.survey_attach(
        scope=scope_of("so_a"), cohort=cohort, questionnaire=qn, opens_on=today, closes_on=today + timedelta(days=3)
    )
    (a,) = enrol(1)
    (q1,) = qn.questions.all()
    services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 5})
    client = login(world.users["so_a"])
    url = reverse("surveys:questionnaire_edit", args=[qn.uuid])
    page = client.get(url).content.decode()
    assert 'name="q-TOTAL_FORMS"' not in page and 'name="satisfied_from"' not in page
    # a crafted post with questions and another rule changes only the title
    crafted = _edit_data(qn, {"kind": "open", "text": "Khác", "ORDER": "1"}, initial=1) | {"satisfied_from": "2"}
    assert client.post(url, crafted).status_code == 302
    qn.refresh_from_db()
    assert qn.title.endswith("(sửa)") and qn.satisfied_from == 4 and qn.version == 1
    assert list(Question.objects.filter(questionnaire=qn).values_list("pk", flat=True)) == [q1.pk]


def test_the_service_refuses_another_rule_once_answered(world, survey, enrol):
    (a,) = enrol(1)
    q1, q2, _q3 = survey.questionnaire.questions.order_by("position")
    services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 4, q2.pk: 0})
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.questionnaire_update(scope=SYSTEM, questionnaire=survey.questionnaire, satisfied_from=2)
    survey.questionnaire.refresh_from_db()
    assert survey.questionnaire.satisfied_from == 4


def _module_cohorts(world, n: int, organiser: str = "so_a") -> Module:  # type: ignore[no-untyped-def]
    cat = Catalog.objects.create(
        code="T-SV", name="Danh mục thử", circular="TT", audience=Audience.GVPT, first_year=2020
    )
    module = Module.objects.create(
        catalog=cat, code="SV1", title="Mô đun khảo sát", audience=Audience.GVPT, hours_total=40
    )
    for i in range(n):
        Cohort.objects.create(
            school_year=SchoolYear.of(2026),
            organiser=world.u(organiser),
            name=f"Lớp SV1-{i}",
            module=module,
            capacity=50,
        )
    return module


def test_an_office_puts_a_questionnaire_to_every_cohort_of_a_module(world, login):
    module = _module_cohorts(world, 3)
    Cohort.objects.create(
        school_year=SchoolYear.of(2026), organiser=world.u("so_b"), name="Lớp SV1 của B", module=module, capacity=50
    )
    qn = own(world, status=QuestionnaireStatus.PUBLISHED)
    client = login(world.users["so_a"])
    url = reverse("surveys:attach_module") + "?year=2026"
    page = client.get(url).content.decode()
    assert "Mô đun khảo sát (3)" in page
    r = client.post(url, {"module": module.pk, "questionnaire": qn.pk, "year": "2026"})
    assert r.status_code == 302
    assert set(Survey.objects.filter(questionnaire=qn).values_list("cohort__name", flat=True)) == {
        "Lớp SV1-0",
        "Lớp SV1-1",
        "Lớp SV1-2",
    }
    again = client.post(url, {"module": module.pk, "questionnaire": qn.pk, "year": "2026"}, follow=True)
    assert Survey.objects.filter(questionnaire=qn).count() == 3 and "đã có phiếu này" in again.content.decode()


def test_the_module_page_offers_neither_another_provinces_modules_nor_questionnaires(world, login):
    module = _module_cohorts(world, 1, organiser="so_b")
    theirs = own(world, "Phiếu riêng của B", owner="so_b", status=QuestionnaireStatus.PUBLISHED)
    client = login(world.users["so_a"])
    page = client.get(reverse("surveys:attach_module") + "?year=2026").content.decode()
    assert "Mô đun khảo sát" not in page and theirs.title not in page
    r = client.post(reverse("surveys:attach_module"), {"module": module.pk, "questionnaire": theirs.pk, "year": "2026"})
    assert r.status_code == 200 and not Survey.objects.filter(questionnaire=theirs).exists()


def test_the_list_counts_only_the_viewers_own_surveys_of_the_shared_questionnaire(world, login, scope_of):
    from bdtx.training.models import Cohort as C

    shared = Questionnaire.objects.get(owner=None, title__startswith=SHARED)
    services.survey_attach(
        scope=scope_of("so_b"), cohort=C.objects.get(organiser=world.u("so_b")), questionnaire=shared
    )
    page = login(world.users["so_a"]).get(reverse("surveys:questionnaires")).content.decode()
    row = page[page.index(f'data-questionnaire="{shared.uuid}"') :]
    row = row[: row.index("</tr>")]
    assert '<td data-label="Đợt khảo sát">0</td>' in row
    page_b = login(world.users["so_b"]).get(reverse("surveys:questionnaires")).content.decode()
    row_b = page_b[page_b.index(f'data-questionnaire="{shared.uuid}"') :]
    assert '<td data-label="Đợt khảo sát">1</td>' in row_b[: row_b.index("</tr>")]
