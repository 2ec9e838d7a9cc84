"""After submitting their self-assessment a teacher is told what comes next and led to it: their
personal plan for the next school year, whose proposed modules come from the assessment."""

import pytest
from django.urls import reverse

from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment
from bdtx.plans.models import PersonalPlan, PlanStatus
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for, regime_for
from bdtx.standards.models import Assessment, Level
from bdtx.standards.tests.conftest import framework, levels_of

pytestmark = pytest.mark.django_db


def _submit(client) -> Assessment:  # type: ignore[no-untyped-def]
    fw = framework("tt20_2018_gvpt")
    levels = {f"level_{cid}": str(lvl) for cid, lvl in levels_of(fw, Level.GOOD).items() if lvl}
    r = client.post(reverse("standards:mine"), {**levels, "submit": "1"})
    assessment = Assessment.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("standards:detail", args=[assessment.uuid])
    return assessment


def _on_next_years_staff_list(world) -> SchoolYear:  # type: ignore[no-untyped-def]
    following = SchoolYear.of(school_year_current().pk + 1)
    work = Employment.objects.get(person=world.people["teacher_a1"])
    Employment.objects.create(person=work.person, unit=work.unit, school_year=following)
    return following


def test_the_submitted_assessment_leads_to_making_next_years_plan(world, login):
    following = _on_next_years_staff_list(world)
    client = login(world.users["teacher_a1"])
    r = client.get(reverse("standards:detail", args=[_submit(client).uuid]))
    make = f"{reverse('plans:mine')}?year={following.pk}"
    step = r.context["next_step"]
    assert step.school_year == following and step.plan.url == make
    assert 'id="next-step"' in r.text and "Lập kế hoạch BDTX cá nhân" in r.text and make in r.text
    assert "Bước tiếp theo" in r.text and following.label in r.text
    page = client.get(make)  # the plan's page, with the modules proposed from the needs
    assert page.status_code == 200 and "recommendations" in page.context and 'id="start-plan"' in page.text


def test_when_next_years_plan_exists_it_opens_it(world, login):
    following = _on_next_years_staff_list(world)
    teacher = world.people["teacher_a1"]
    plan = PersonalPlan.objects.create(
        person=teacher,
        unit=world.u("th_a1"),
        school_year=following,
        regime=regime_for(following.pk),
        status=PlanStatus.DRAFT,
    )
    client = login(world.users["teacher_a1"])
    r = client.get(reverse("standards:detail", args=[_submit(client).uuid]))
    url = reverse("plans:detail", args=[plan.uuid])
    assert r.context["next_step"].plan.url == url and url in r.text and "Mở kế hoạch" in r.text
    assert client.get(url).status_code == 200


def test_before_next_years_staff_list_this_years_unfinished_plan_is_the_next_step(world, login):
    client = login(world.users["teacher_a1"])
    assessment = _submit(client)
    r = client.get(reverse("standards:detail", args=[assessment.uuid]))
    this_year = f"{reverse('plans:mine')}?year={school_year_current().pk}"
    assert r.context["next_step"].plan.url == this_year and this_year in r.text
    plan = plan_for(world.people["teacher_a1"], world.u("th_a1"), make_catalogue(world), status=PlanStatus.RETURNED)
    r = client.get(reverse("standards:detail", args=[assessment.uuid]))
    assert r.context["next_step"].plan.url == reverse("plans:detail", args=[plan.uuid])


def test_with_this_years_plan_done_and_no_place_next_year_it_says_what_to_wait_for(world, login):
    plan_for(world.people["teacher_a1"], world.u("th_a1"), make_catalogue(world), status=PlanStatus.APPROVED)
    client = login(world.users["teacher_a1"])
    r = client.get(reverse("standards:detail", args=[_submit(client).uuid]))
    assert r.context["next_step"].plan is None and 'id="next-step-link"' not in r.text
    assert "danh sách cán bộ, giáo viên của năm học đó" in r.text


def test_no_next_step_on_a_draft_or_for_someone_else(world, login):
    client = login(world.users["teacher_a1"])
    assessment = _submit(client)
    r = login(world.users["principal_a1"]).get(reverse("standards:detail", args=[assessment.uuid]))
    assert r.status_code == 200 and r.context["next_step"] is None and 'id="next-step"' not in r.text
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.DRAFT)
    r = login(world.users["teacher_a1"]).get(reverse("standards:detail", args=[assessment.uuid]))
    assert r.context["next_step"] is None
