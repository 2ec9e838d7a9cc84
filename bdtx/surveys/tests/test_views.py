"""The survey pages: 404 outside the scope, 403 inside without the right, constant query counts."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.core.tests.factories import as_person
from bdtx.surveys import services
from bdtx.surveys.models import MIN_RESPONSES, Participation, Submission

pytestmark = pytest.mark.django_db

SURVEY_PAGES = ("surveys:tracking", "surveys:results", "surveys:export")


def _answers(survey, likert=4, text=""):  # type: ignore[no-untyped-def]
    q1, q2, q3 = survey.questionnaire.questions.order_by("position")
    return {q1.pk: likert, q2.pk: 0, q3.pk: text}


@pytest.mark.parametrize("name", [*SURVEY_PAGES, "surveys:remind", "surveys:answer"])
def test_another_province_gets_404(world, survey, login, name):
    assert login(world.users["so_b"]).get(reverse(name, args=[survey.uuid])).status_code == 404


def test_attach_is_404_to_another_province_and_403_to_a_viewer(world, cohort, login):
    url = reverse("surveys:attach", args=[cohort.uuid])
    assert login(world.users["so_b"]).get(url).status_code == 404
    assert login(world.users["ministry"]).get(url).status_code == 403  # sees training, organises nothing
    assert login(world.users["so_a"]).get(url).status_code == 200


@pytest.mark.parametrize("name", SURVEY_PAGES)
def test_a_learner_of_the_cohort_sees_no_tracking_nor_results(survey, enrol, login, name):
    (a,) = enrol(1)
    assert login(a.user).get(reverse(name, args=[survey.uuid])).status_code == 403


def test_remind_is_the_organisers(world, survey, login):
    url = reverse("surveys:remind", args=[survey.uuid])
    assert login(world.users["ministry"]).post(url).status_code == 403
    assert login(world.users["so_a"]).post(url).status_code == 302


def test_the_answer_page_is_the_enrolled_learners(world, survey, enrol, login):
    url = reverse("surveys:answer", args=[survey.uuid])
    assert login(world.users["so_a"]).get(url).status_code == 403  # organises, does not learn
    assert login(world.users["teacher_a1"]).get(url).status_code == 404  # not in the cohort
    (a,) = enrol(1)
    client = login(a.user)
    page = client.get(url)
    assert page.status_code == 200 and b'type="radio"' in page.content
    fields = {f"q{k}": v for k, v in _answers(survey, text="Hay").items()}
    assert client.post(url, fields).status_code == 302
    assert Participation.objects.get(survey=survey, person=a).answered and Submission.objects.count() == 1
    again = client.get(url)
    assert b'id="already"' in again.content and b'id="answer-form"' not in again.content
    assert client.post(url, fields).status_code == 200 and Submission.objects.count() == 1


def test_a_missing_answer_is_shown_on_the_form(survey, enrol, login):
    (a,) = enrol(1)
    response = login(a.user).post(reverse("surveys:answer", args=[survey.uuid]), {})
    assert response.status_code == 400 and b'id="answer-error"' in response.content
    assert not Submission.objects.exists()


def test_the_landing_page_shows_the_survey_until_answered(survey, enrol, login):
    (a,) = enrol(1)
    client = login(a.user)
    assert str(survey.uuid).encode() in client.get(reverse("home:home")).content
    services.survey_answer(scope=as_person(a), survey=survey, answers=_answers(survey))
    assert b'id="my-surveys"' not in client.get(reverse("home:home")).content


def test_results_page_suppressed_then_shown_and_export(world, survey, enrol, login):
    people = enrol(MIN_RESPONSES)
    client = login(world.users["so_a"])
    for p in people[:-1]:
        services.survey_answer(scope=as_person(p), survey=survey, answers=_answers(survey, text="Góp ý"))
    page = client.get(reverse("surveys:results", args=[survey.uuid]))
    assert b'id="suppressed"' in page.content and "Góp ý".encode() not in page.content
    services.survey_answer(scope=as_person(people[-1]), survey=survey, answers=_answers(survey, text="Ý kiến"))
    page = client.get(reverse("surveys:results", args=[survey.uuid]))
    assert b'id="suppressed"' not in page.content and "Ý kiến".encode() in page.content
    for p in people:
        assert p.full_name.encode() not in page.content
    export = client.get(reverse("surveys:export", args=[survey.uuid]))
    assert export.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    cells = [c for row in rows for c in row]
    assert "Ý kiến" in cells and not any(p.full_name in cells for p in people)


def test_the_exports_rates_are_exact_and_round_halves_up(world, survey, enrol, login):
    """1 of 16 learners answered: 6.25 %, written 6.3 (a number: Excel shows 6,3 in Vietnamese);
    round(6.25, 1) gave 6.2."""
    people = enrol(15)  # the world's cohort has one learner already
    services.survey_answer(scope=as_person(people[0]), survey=survey, answers=_answers(survey))
    export = login(world.users["so_a"]).get(reverse("surveys:export", args=[survey.uuid]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    assert next(r for r in rows if r[0] == "Số học viên của lớp")[2] == 16
    answered = next(r for r in rows if r[0] == "Số học viên đã trả lời")
    assert answered[2:4] == [1, 6.3]


def _queries(client, url) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", [*SURVEY_PAGES, "list"])
def test_query_counts_do_not_grow_with_learners(world, survey, enrol, login, name):
    client = login(world.users["so_a"])
    url = reverse("surveys:list") if name == "list" else reverse(name, args=[survey.uuid])
    for p in enrol(MIN_RESPONSES):
        services.survey_answer(scope=as_person(p), survey=survey, answers=_answers(survey, text="A"))
    before = _queries(client, url)
    for p in enrol(4, unit="thcs_a2"):
        services.survey_answer(scope=as_person(p), survey=survey, answers=_answers(survey, text="B"))
    enrol(3)
    assert _queries(client, url) == before


def test_the_tracking_page_counts_per_group_and_school_and_names_who_has_not_answered(world, survey, enrol, login):
    a, b = enrol(2)
    services.survey_answer(scope=as_person(a), survey=survey, answers=_answers(survey))
    page = login(world.users["so_a"]).get(reverse("surveys:tracking", args=[survey.uuid])).content.decode()
    assert b.full_name in page and a.full_name not in page
    assert world.u("th_a1").name in page and "1/2" in page


def test_the_tracking_page_rounds_a_half_percent_up(world, survey, enrol, login):
    """1 of 8 learners answered: 12.5 %, shown 13 % as a report written by hand says ({% widthratio %} showed 12)."""
    people = enrol(7)  # the world's cohort has one learner already
    services.survey_answer(scope=as_person(people[0]), survey=survey, answers=_answers(survey))
    page = login(world.users["so_a"]).get(reverse("surveys:tracking", args=[survey.uuid])).content.decode()
    assert '<div class="fs-4 fw-semibold" id="rate">13%</div>' in page
