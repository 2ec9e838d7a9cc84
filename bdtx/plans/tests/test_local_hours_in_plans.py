"""Plans count a module's periods as the ministry gives them, else as the person's province gives
them (`ModuleLocalHours`): recommendations propose only modules that count and say how many were
left out, plan lines follow the province's periods while the plan can change, a line whose module
lost its periods reads "no periods yet" and keeps the plan from being submitted, and a submitted
plan keeps the periods it was submitted with."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bdtx.catalog import services as catalog_services
from bdtx.catalog.models import FocusModule, Module
from bdtx.core.models import SchoolYear
from bdtx.core.tests.factories import as_person
from bdtx.plans.models import PlanStatus
from bdtx.plans.personal import selectors as personal_selectors
from bdtx.plans.personal import services as personal_services
from bdtx.plans.personal.recommend import recommend_modules
from bdtx.plans.personal.selectors import plan_hours, plan_items, plan_problems, plan_required_hours
from bdtx.regimes.models import Programme
from bdtx.standards.models import Level

from .conftest import YEAR, assess, content

pytestmark = pytest.mark.django_db

DOC = "Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2026"


def set_hours(world, scope_of, module: Module, hours: int, *, province: str = "so_a") -> None:  # type: ignore[no-untyped-def]
    catalog_services.module_local_hours_set(
        scope=scope_of(province),
        module=module,
        unit=world.u(province),
        school_year=SchoolYear.of(YEAR),
        hours=hours,
        source=DOC,
    )


def clear_hours(world, scope_of, module: Module, *, province: str = "so_a") -> None:  # type: ignore[no-untyped-def]
    catalog_services.module_local_hours_clear(
        scope=scope_of(province), module=module, unit=world.u(province), school_year=SchoolYear.of(YEAR)
    )


def start(world, key: str = "teacher_a1"):  # type: ignore[no-untyped-def]
    person = world.people[key]
    return personal_services.plan_start(scope=as_person(person), person=person, school_year=SchoolYear.of(YEAR))


def add(plan, module: Module):  # type: ignore[no-untyped-def]
    return personal_services.plan_module_add(scope=as_person(plan.person), plan=plan, module=module)


def bd03(plan):  # type: ignore[no-untyped-def]
    items = plan_items(plan=plan)
    return next(r for r in plan_hours(items=items, required=plan_required_hours(plan=plan)) if r.programme == "BD03")


# --- recommendations ------------------------------------------------------------------------------


def test_a_module_without_periods_is_not_proposed_until_the_province_gives_it_periods(world, pcat, scope_of):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {4: Level.NOT_MET, 1: Level.MET})  # N serves 4, A20 serves 1
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert [r.module.code for r in recs] == ["A20"] and [r.module.code for r in recs.without_hours] == ["N"]
    set_hours(world, scope_of, pcat.m["N"], 20)
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert [r.module.code for r in recs.proposed] == ["N", "A20"] and recs.complete and recs.planned == 40
    assert recs.without_hours == [] and recs[0].hours_known and recs[0].module.effective_hours == 20


def test_another_provinces_periods_do_not_count(world, pcat, scope_of):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {4: Level.NOT_MET})
    set_hours(world, scope_of, pcat.m["N"], 20, province="so_b")
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert list(recs) == [] and [r.module.code for r in recs.without_hours] == ["N"]


def test_modules_chosen_count_the_provinces_periods_in_what_is_left(world, pcat, scope_of):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET, 2: Level.NOT_MET, 3: Level.NOT_MET})
    set_hours(world, scope_of, pcat.m["N"], 20)
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR), chosen=[pcat.m["N"]])
    assert recs.target == 20 and [r.module.code for r in recs.proposed] == ["A20"]


def test_the_recommendation_box_says_how_many_modules_were_left_out_and_who_can_help(world, pcat, login):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {4: Level.NOT_MET})
    FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=pcat.m["N"], priority=1)
    content(world)
    start(world)
    body = login(world.users["teacher_a1"]).get(reverse("plans:mine")).content.decode()
    assert "1 mô đun chưa có số tiết nên không được đề xuất; Sở có thể đặt số tiết cho tỉnh." in body
    assert 'id="recommendations-without-hours"' in body and "Mô đun thử N" in body
    with translation.override("vi"):  # the box does not claim there is nothing to recommend
        nothing = translation.gettext(
            "No recommendation: there is no weak criterion in your latest self-assessment and no focus module of "
            "your province left to take. Choose from the catalog below."
        )
    assert nothing not in body


# --- plan lines -----------------------------------------------------------------------------------


def test_a_module_with_the_provinces_periods_is_added_with_them(world, pcat, scope_of):
    content(world)
    plan = start(world)
    with pytest.raises(ValidationError):
        add(plan, pcat.m["N"])  # no periods yet
    set_hours(world, scope_of, pcat.m["N"], 20)
    item = add(plan, pcat.m["N"])
    assert item.hours == 20
    add(plan, pcat.m["A20"])
    assert bd03(plan).planned == 40 and plan_problems(plan=plan) == []
    personal_services.plan_submit(scope=as_person(plan.person), plan=plan)


def test_a_line_whose_module_lost_its_periods_reads_no_periods_and_is_not_counted(world, pcat, scope_of, login):
    content(world)
    plan = start(world)
    set_hours(world, scope_of, pcat.m["N"], 20)
    add(plan, pcat.m["N"])
    add(plan, pcat.m["A20"])
    clear_hours(world, scope_of, pcat.m["N"])
    row = bd03(plan)
    assert (row.planned, row.without_periods) == (20, 1)  # not 40, and not silently 0 either
    (line,) = [i for i in plan_items(plan=plan) if i.module == pcat.m["N"]]
    assert line.counted_hours is None
    with translation.override("vi"):
        problems = plan_problems(plan=plan)
        assert any("N" in p and "chưa có số tiết" in p for p in problems)
    body = login(world.users["teacher_a1"]).get(reverse("plans:mine")).content.decode()
    assert "chưa có số tiết" in body
    with pytest.raises(ValidationError):
        personal_services.plan_submit(scope=as_person(plan.person), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    set_hours(world, scope_of, pcat.m["N"], 20)  # the Sở gives them back
    personal_services.plan_submit(scope=as_person(plan.person), plan=plan)


def test_lines_follow_the_provinces_periods_until_the_plan_is_submitted(world, pcat, scope_of):
    content(world)
    plan = start(world)
    set_hours(world, scope_of, pcat.m["N"], 20)
    add(plan, pcat.m["N"])
    add(plan, pcat.m["A20"])
    set_hours(world, scope_of, pcat.m["N"], 25)  # the Sở corrects its decision
    assert bd03(plan).planned == 45
    with pytest.raises(ValidationError) as exc:
        personal_services.plan_submit(scope=as_person(plan.person), plan=plan)
    assert any("45" in m for m in exc.value.messages)
    set_hours(world, scope_of, pcat.m["N"], 20)
    personal_services.plan_submit(scope=as_person(plan.person), plan=plan)
    plan.refresh_from_db()
    # once submitted, the plan keeps what it was submitted with, whatever the Sở decides next
    set_hours(world, scope_of, pcat.m["N"], 30)
    clear_hours(world, scope_of, pcat.m["N"])
    assert [i.counted_hours for i in plan_items(plan=plan) if i.programme == Programme.BD03] == [20, 20]
    assert bd03(plan).planned == 40


def test_a_submitted_line_is_synced_to_the_periods_that_counted(world, pcat, scope_of):
    content(world)
    plan = start(world)
    set_hours(world, scope_of, pcat.m["N"], 15)
    add(plan, pcat.m["N"])
    add(plan, pcat.m["E21"])
    set_hours(world, scope_of, pcat.m["N"], 19)  # 19 + 21 = 40
    personal_services.plan_submit(scope=as_person(plan.person), plan=plan)
    assert sorted(plan.items.filter(programme=Programme.BD03).values_list("hours", flat=True)) == [19, 21]


def test_the_plan_page_takes_the_same_queries_for_more_module_lines(world, pcat, scope_of, login):
    content(world)
    plan = start(world)
    client = login(world.users["teacher_a1"])
    set_hours(world, scope_of, pcat.m["N"], 19)
    add(plan, pcat.m["N"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("plans:mine")).status_code == 200
    add(plan, pcat.m["E21"])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("plans:mine")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_catalog_search_offers_a_module_with_the_provinces_periods(world, pcat, scope_of, login):
    content(world)
    plan = start(world)
    client = login(world.users["teacher_a1"])
    url = reverse("plans:modules", kwargs={"uuid": plan.uuid})
    (found,) = [m for m, _taken, _done in client.get(url, {"q": "thu N"}).context["results"] if m.code == "N"]
    assert found.effective_hours is None
    set_hours(world, scope_of, pcat.m["N"], 20)
    r = client.get(url, {"q": "thu N"})
    (found,) = [m for m, _taken, _done in r.context["results"] if m.code == "N"]
    assert found.effective_hours == 20 and str(pcat.m["N"].uuid) in r.content.decode()  # its Add button


def test_modules_offered_carry_the_periods_for_the_person(world, pcat, scope_of):
    set_hours(world, scope_of, pcat.m["N"], 20)
    emp = personal_selectors.employment_for(person=world.people["teacher_a1"], school_year=SchoolYear.of(YEAR))
    assert emp is not None
    hours = {
        m.code: m.effective_hours
        for m in personal_selectors.modules_offered(employment=emp, school_year=emp.school_year)
    }
    assert hours["N"] == 20 and hours["A20"] == 20
