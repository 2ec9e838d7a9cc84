"""A person's page leads to their self-assessment and their personal plan of the year shown, for who
may open them (the checks of those pages: no link to a 403), and the person themself to the pages
where they make them. The person page is in `people`; the records it links to belong to `standards`
and `plans`, which register their links (`bdtx.core.person_links`)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.accounts.selectors import scope_for_user
from bdtx.core.person_links import person_links
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.plans.models import PersonalPlan, PlanStatus
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for, regime_for
from bdtx.standards.models import Assessment, Framework

pytestmark = pytest.mark.django_db


def _records(world, status=Assessment.Status.SUBMITTED) -> tuple[PersonalPlan, Assessment]:  # type: ignore[no-untyped-def]
    teacher, school = world.people["teacher_a1"], world.u("th_a1")
    plan = plan_for(teacher, school, make_catalogue(world), status=PlanStatus.SUBMITTED)
    assessment = Assessment.objects.create(
        person=teacher,
        unit=school,
        school_year=school_year_current(),
        framework=Framework.objects.get(code="tt20_2018_gvpt"),
        status=status,
    )
    return plan, assessment


def _page(client, person, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("people:detail", args=[person.uuid]), params)


def _links(response) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """The links of the year's records; the BDTX record of every year (`records`) is checked on its own."""
    return {link.key: (link.status, link.url) for link in response.context["links"] if link.key != "records.record"}


def test_the_principal_opens_a_teachers_plan_and_assessment_from_their_page(world, login):
    plan, assessment = _records(world)
    client = login(world.users["principal_a1"])
    r = _page(client, world.people["teacher_a1"])
    plan_url, assessment_url = (
        reverse("plans:detail", args=[plan.uuid]),
        reverse("standards:detail", args=[assessment.uuid]),
    )
    assert _links(r) == {
        "standards.assessment": ("Đã gửi bản tự đánh giá", assessment_url),
        "plans.personal_plan": ("Đã gửi", plan_url),
    }
    assert plan_url in r.text and assessment_url in r.text
    assert client.get(plan_url).status_code == 200 and client.get(assessment_url).status_code == 200


def test_without_them_the_principal_reads_that_there_is_none_yet(world, login):
    r = _page(login(world.users["principal_a1"]), world.people["teacher_a1"])
    assert _links(r) == {"standards.assessment": ("Chưa bắt đầu", ""), "plans.personal_plan": ("Chưa có kế hoạch", "")}
    assert 'id="bdtx-records"' in r.text


def test_a_teacher_is_led_from_their_own_page_to_make_them(world, login):
    client = login(world.users["teacher_a1"])
    r = _page(client, world.people["teacher_a1"])
    year = school_year_current().pk
    make_plan = f"{reverse('plans:mine')}?year={year}"
    assert _links(r) == {
        "standards.assessment": ("Chưa bắt đầu", reverse("standards:mine")),
        "plans.personal_plan": ("Chưa có kế hoạch", make_plan),
    }
    assert "Tự đánh giá" in r.text and "Lập kế hoạch BDTX cá nhân" in r.text
    assert client.get(make_plan).status_code == 200 and client.get(reverse("standards:mine")).status_code == 200


def test_a_teacher_continues_their_draft_assessment_where_they_fill_it_in(world, login):
    _records(world, status=Assessment.Status.DRAFT)
    r = _page(login(world.users["teacher_a1"]), world.people["teacher_a1"])
    assert _links(r)["standards.assessment"] == ("Bản nháp", reverse("standards:mine"))


def test_no_link_for_a_role_whose_pages_would_answer_403(world, login, monkeypatch):
    plan, assessment = _records(world)
    views = {Perm.PLANS_VIEW, Perm.STANDARDS_VIEW}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.SCHOOL_ADMIN, ROLE_PERMISSIONS[Role.SCHOOL_ADMIN] - views)
    client = login(world.users["principal_a1"])
    r = _page(client, world.people["teacher_a1"])
    # only the BDTX record (records) stays: staff viewers open it
    assert r.status_code == 200 and [link.key for link in r.context["links"]] == ["records.record"]
    assert client.get(r.context["links"][0].url).status_code == 200
    assert client.get(reverse("plans:detail", args=[plan.uuid])).status_code == 403
    assert client.get(reverse("standards:detail", args=[assessment.uuid])).status_code == 403


def test_the_links_are_those_of_the_year_shown(world, login):
    teacher, school = world.people["teacher_a1"], world.u("th_a1")
    current = school_year_current()
    last = current.pk - 1
    old = PersonalPlan.objects.create(
        person=teacher, unit=school, school_year_id=last, regime=regime_for(last), status=PlanStatus.APPROVED
    )
    teacher.employments.update(school_year_id=last)  # they worked there last year (and not this one)
    client = login(world.users["principal_a1"])
    r = _page(client, teacher, year=last)
    assert _links(r)["plans.personal_plan"] == ("Đã phê duyệt", reverse("plans:detail", args=[old.uuid]))
    r = _page(client, teacher, year=current.pk)
    assert "plans.personal_plan" not in _links(r)  # no work there this year: nothing of theirs to know


def test_the_links_cost_a_few_queries_whatever_the_records(world):
    teacher = world.people["teacher_a1"]
    year = school_year_current()
    for user in ("principal_a1", "teacher_a1", "so_a"):
        scope = scope_for_user(world.users[user])
        scope.paths()  # the scope's own queries, made once per request
        with CaptureQueriesContext(connection) as ctx:
            person_links(scope=scope, person_id=teacher.pk, school_year=year)
        assert len(ctx.captured_queries) <= 6, user  # the BDTX record's link costs one
    _records(world)
    for user in ("principal_a1", "teacher_a1", "so_a"):
        scope = scope_for_user(world.users[user])
        scope.paths()
        with CaptureQueriesContext(connection) as ctx:
            assert len(person_links(scope=scope, person_id=teacher.pk, school_year=year)) == 3  # and the record
        assert len(ctx.captured_queries) <= 6, user  # the BDTX record's link costs one


def test_the_bdtx_record_of_every_year_is_linked_for_who_may_open_it(world, login):
    teacher = world.people["teacher_a1"]
    url = reverse("records:detail", args=[teacher.uuid])
    for user in ("principal_a1", "teacher_a1"):
        client = login(world.users[user])
        links = {link.key: link.url for link in _page(client, teacher).context["links"]}
        assert links["records.record"] == url and client.get(url).status_code == 200
