from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import Person
from bdtx.plans.models import Form, PersonalPlan, PlanStatus, UnitPlan
from bdtx.plans.tests.unit_fixtures import *  # noqa: F403
from bdtx.plans.tests.unit_fixtures import plan_for
from bdtx.plans.unit.selectors import parent_in_year, unit_plan_figures
from bdtx.plans.unit.services import unit_plan_approve, unit_plan_compile, unit_plan_return, unit_plan_submit

pytestmark = pytest.mark.django_db


def scope(world, key):
    return scope_for_user(world.users[key])


def compile_(world, user, unit):
    return unit_plan_compile(scope=scope(world, user), unit=world.u(unit), school_year=school_year_current())


def submitted(world, user="principal_a1", unit="th_a1"):
    plan = compile_(world, user, unit)
    return unit_plan_submit(incomplete_ok=True, scope=scope(world, user), plan=plan)


# --- compiled figures --------------------------------------------------------------------------


def test_school_figures_count_only_its_approved_personal_plans(world, catalogue):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue, modules=(0, 1))
    plan_for(world.people["colleague_a1"], th, catalogue, modules=(1,), form=Form.DISTANCE)
    plan_for(world.people["mentor_a1"], th, catalogue, status=PlanStatus.SUBMITTED)
    plan_for(world.people["teacher_a2"], world.u("thcs_a2"), catalogue)

    t = compile_(world, "principal_a1", "th_a1").totals

    assert t["staff"] == {"total": 4, "GV": 3, "CBQL": 1}
    assert t["planned"] == {"total": 2, "GV": 2, "CBQL": 0}
    assert t["programmes"]["BD01"] == {"people": 2, "items": 2, "periods": 80}
    assert t["programmes"]["BD03"] == {"people": 2, "items": 3, "periods": 60}
    m0, m1 = (t["lines"][f"m:{m.uuid}"] for m in catalogue.modules[:2])
    assert (m0["people"], m1["people"]) == (1, 2)
    assert m1["forms"] == {Form.BLENDED: 1, Form.DISTANCE: 1}
    assert m1["code"] == catalogue.modules[1].code and m1["title"] == catalogue.modules[1].title
    assert t["forms"][Form.DISTANCE] == {"people": 1, "items": 2, "periods": 60}


def test_sensitive_breakdown_is_stored_as_counts_of_women_minorities_and_difficult_area(world, catalogue):
    th = world.u("th_a1")  # a difficult-area school
    teacher, colleague = world.people["teacher_a1"], world.people["colleague_a1"]
    Person.objects.filter(pk=teacher.pk).update(gender="F", ethnicity_id="02")
    Person.objects.filter(pk=colleague.pk).update(gender="M", ethnicity_id="01")
    plan_for(teacher, th, catalogue, modules=(0,))
    plan_for(colleague, th, catalogue, modules=(0,))

    line = compile_(world, "principal_a1", "th_a1").totals["lines"][f"m:{catalogue.modules[0].uuid}"]

    assert (line["people"], line["female"], line["minority"], line["difficult"]) == (2, 1, 1, 2)


def test_months_count_people_studying_in_each_month_of_the_school_year(world, catalogue):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue, modules=(0,), months=(date(2026, 9, 1), date(2026, 11, 1)))
    plan_for(world.people["colleague_a1"], th, catalogue, modules=(1,), months=(date(2026, 11, 1), date(2026, 11, 1)))

    totals = compile_(world, "principal_a1", "th_a1").totals
    months = totals["months"]

    assert len(months) == 12 and next(iter(months)) == "2026-07"
    assert months["2026-09"] == {"people": 1, "items": 1}
    assert totals["unscheduled"] == 2  # the BD01 content has no month
    assert months["2026-11"] == {"people": 2, "items": 2}
    assert months["2027-01"] == {"people": 2, "items": 2}  # BD02 in January
    assert months["2026-12"] == {"people": 0, "items": 0}


def test_the_number_of_compile_queries_does_not_grow_with_people(world, catalogue, django_assert_max_num_queries):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue)
    with django_assert_max_num_queries(20) as few:
        compile_(world, "principal_a1", "th_a1")
    for _ in range(15):
        plan_for(EmploymentFactory(unit=th).person, th, catalogue, modules=(0, 2))
    UnitPlan.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        compile_(world, "principal_a1", "th_a1")


# --- up the tree: the sums ---------------------------------------------------------------------


def _numbers(figures, prefix=""):
    """Every numeric leaf of the summable figures by its path (periods per person excluded)."""
    out = {}
    for key, value in figures.items():
        if isinstance(value, dict):
            out.update(_numbers(value, f"{prefix}{key}/"))
        elif isinstance(value, int) and key != "hours":
            out[f"{prefix}{key}"] = value
    return out


# The keys of the stored figures that add up the tree (the rest describe one plan).
CORE_KEYS = ("schools", "staff", "planned", "programmes", "lines", "forms", "months", "unscheduled")


def _core(totals):
    return _numbers({k: totals[k] for k in CORE_KEYS})


def _sum(children):
    out = {}
    for c in children:
        for k, v in _core(c).items():
            out[k] = out.get(k, 0) + v
    return {k: v for k, v in out.items() if v}


def test_every_level_equals_the_sum_of_the_level_below(world, tree):
    def up(key):
        user = tree.staff[key]
        plan = unit_plan_submit(incomplete_ok=True, scope=scope(world, user), plan=compile_(world, user, key))
        if key != "thcs_a2b":  # submitted, still waiting: it must not count above yet
            unit_plan_approve(scope=scope(world, tree.staff[tree.parent_of(key)]), plan=plan)

    for key in (*tree.schools, "xa_a1", "xa_a2", "so_a"):  # bottom-up
        up(key)
    compile_(world, "ministry", "bo")

    plans = {p.unit_id: p for p in UnitPlan.objects.filter(school_year=school_year_current())}
    for school in tree.schools:
        t = plans[world.u(school).pk].totals
        approved = PersonalPlan.objects.filter(unit=world.u(school), status=PlanStatus.APPROVED).count()
        assert t["planned"]["total"] == approved == tree.approved[school]
        assert t["programmes"]["BD01"]["people"] == approved
    for parent, children in tree.children.items():
        got = {k: v for k, v in _core(plans[world.u(parent).pk].totals).items() if v}
        below = [plans[world.u(c).pk] for c in children if world.u(c).pk in plans]
        assert got == _sum(p.totals for p in below if p.status == PlanStatus.APPROVED), parent
    province = plans[world.u("so_a").pk].totals
    assert province["planned"]["total"] == sum(tree.approved.values()) - tree.approved["thcs_a2b"]
    assert province["schools"] == 4
    assert province["pending"]["planned"]["total"] == 0  # xa_a2 already holds thcs_a2b in its pending
    assert plans[world.u("xa_a2").pk].totals["pending"]["planned"]["total"] == tree.approved["thcs_a2b"]
    assert len(province["lines"]) == 5  # BD01, BD02 and the three modules
    assert plans[world.u("bo").pk].totals["units"]["approved"] == 1
    assert plans[world.u("bo").pk].totals["units"]["missing"] == 1  # so_b has no plan


def test_an_office_shows_submitted_plans_apart_from_the_approved_ones(world, tree):
    plan = submitted(world)
    t = compile_(world, "xa_a1", "xa_a1").totals
    assert t["planned"]["total"] == 0 and t["schools"] == 0
    assert t["pending"]["planned"]["total"] == plan.totals["planned"]["total"] > 0
    assert t["units"] == {"total": 2, "draft": 0, "submitted": 1, "returned": 0, "approved": 0, "missing": 1}


# --- transitions -------------------------------------------------------------------------------


def test_plan_is_submitted_to_the_office_and_approved_there_with_everything_recorded(world, catalogue):
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)
    plan = submitted(world)
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at is not None
    plan = unit_plan_approve(scope=scope(world, "xa_a1"), plan=plan, comment="Đồng ý")
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == world.users["xa_a1"]
    events = [(e.action, e.actor.username) for e in plan.events.all()]
    assert events == [
        ("unit_plan.compile", "principal_a1"),
        ("unit_plan.submit", "principal_a1"),
        ("unit_plan.approve", "xa_a1"),
    ]
    audit = list(AuditLog.objects.filter(object_uuid=plan.uuid).order_by("id").values_list("action", "actor__username"))
    assert audit == [
        ("unit_plan.compile", "principal_a1"),
        ("unit_plan.submit", "principal_a1"),
        ("unit_plan.approve", "xa_a1"),
    ]
    assert AuditLog.objects.filter(object_uuid=plan.uuid, unit_path=world.u("th_a1").path).count() == 3


def test_school_cannot_approve_its_own_plan(world, catalogue):
    plan = submitted(world)
    with pytest.raises(PermissionDenied):
        unit_plan_approve(scope=scope(world, "principal_a1"), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_an_office_of_another_province_cannot_decide(world, catalogue):
    plan = submitted(world)
    for user in ("so_b", "principal_b1", "principal_a2"):
        with pytest.raises(PermissionDenied):
            unit_plan_return(scope=scope(world, user), plan=plan, comment="x")


def test_the_province_above_the_office_may_also_decide(world, catalogue):
    plan = unit_plan_approve(scope=scope(world, "so_a"), plan=submitted(world))
    assert plan.status == PlanStatus.APPROVED


def test_only_the_units_own_staff_compile_and_submit(world, catalogue):
    with pytest.raises(PermissionDenied):
        compile_(world, "xa_a1", "th_a1")
    plan = compile_(world, "principal_a1", "th_a1")
    with pytest.raises(PermissionDenied):
        unit_plan_submit(incomplete_ok=True, scope=scope(world, "xa_a1"), plan=plan)
    with pytest.raises(PermissionDenied):
        compile_(world, "teacher_a1", "th_a1")


def test_unit_cannot_submit_before_compiling(world):
    plan = UnitPlan.objects.create(unit=world.u("th_a1"), school_year=school_year_current())
    with pytest.raises(ValidationError):
        unit_plan_submit(incomplete_ok=True, scope=scope(world, "principal_a1"), plan=plan)


def test_recompiling_a_submitted_plan_is_refused_until_it_is_returned(world, catalogue):
    plan = submitted(world)
    with pytest.raises(ValidationError):
        compile_(world, "principal_a1", "th_a1")
    unit_plan_return(scope=scope(world, "xa_a1"), plan=plan, comment="Thiếu mô đun 9")
    assert compile_(world, "principal_a1", "th_a1").status == PlanStatus.RETURNED


def test_returned_plan_can_be_fixed_and_resubmitted(world, catalogue):
    plan = submitted(world)
    plan = unit_plan_return(scope=scope(world, "xa_a1"), plan=plan, comment="Bổ sung kế hoạch của giáo viên")
    assert plan.status == PlanStatus.RETURNED and plan.comment == "Bổ sung kế hoạch của giáo viên"
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)
    with pytest.raises(ValidationError):  # the figures changed: compile again first
        unit_plan_submit(incomplete_ok=True, scope=scope(world, "principal_a1"), plan=plan)
    plan = submitted(world)
    assert plan.status == PlanStatus.SUBMITTED and plan.totals["planned"]["total"] == 1
    actions = list(plan.events.values_list("action", flat=True))
    assert actions == [
        "unit_plan.compile",
        "unit_plan.submit",
        "unit_plan.return",
        "unit_plan.compile",
        "unit_plan.submit",
    ]


def test_return_needs_a_comment(world):
    plan = submitted(world)
    with pytest.raises(ValidationError):
        unit_plan_return(scope=scope(world, "xa_a1"), plan=plan, comment="  ")


def test_only_a_submitted_plan_can_be_approved(world):
    plan = compile_(world, "principal_a1", "th_a1")
    with pytest.raises(ValidationError):
        unit_plan_approve(scope=scope(world, "xa_a1"), plan=plan)
    plan = unit_plan_approve(
        scope=scope(world, "xa_a1"),
        plan=unit_plan_submit(incomplete_ok=True, scope=scope(world, "principal_a1"), plan=plan),
    )
    with pytest.raises(ValidationError):
        unit_plan_approve(scope=scope(world, "xa_a1"), plan=plan)
    with pytest.raises(ValidationError):
        unit_plan_submit(incomplete_ok=True, scope=scope(world, "principal_a1"), plan=plan)


def test_an_approved_plan_can_be_reopened_only_while_the_parent_has_not_submitted(world):
    plan = unit_plan_approve(scope=scope(world, "xa_a1"), plan=submitted(world))
    office = submitted(world, "xa_a1", "xa_a1")
    with pytest.raises(ValidationError):
        unit_plan_return(scope=scope(world, "xa_a1"), plan=plan, comment="Sửa lại")
    unit_plan_return(scope=scope(world, "so_a"), plan=office, comment="Chờ trường sửa")
    assert unit_plan_return(scope=scope(world, "xa_a1"), plan=plan, comment="Sửa lại").status == PlanStatus.RETURNED


def test_the_ministry_has_no_level_to_submit_to(world):
    plan = compile_(world, "ministry", "bo")
    with pytest.raises(ValidationError):
        unit_plan_submit(incomplete_ok=True, scope=scope(world, "ministry"), plan=plan)


def test_a_plan_of_a_past_year_goes_to_the_parent_of_that_year(world):
    old, now = SchoolYear.objects.get(pk=2024), school_year_current()
    assert parent_in_year(unit=world.u("th_a1"), school_year=old) == world.u("phong_a")
    assert parent_in_year(unit=world.u("th_a1"), school_year=now) == world.u("xa_a1")
    assert unit_plan_figures(unit=world.u("phong_a"), school_year=now).units.total == 0


def test_a_plan_that_leaves_people_out_goes_up_only_when_sent_incomplete_knowingly(world, catalogue):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue)
    plan = compile_(world, "principal_a1", "th_a1")
    assert plan.figures.coverage == (1, 4) and not plan.figures.complete
    with pytest.raises(ValidationError) as exc:
        unit_plan_submit(scope=scope(world, "principal_a1"), plan=plan)
    assert "1" in exc.value.messages[0] and "4" in exc.value.messages[0]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plan = unit_plan_submit(scope=scope(world, "principal_a1"), plan=plan, incomplete_ok=True)
    assert plan.status == PlanStatus.SUBMITTED


def test_a_plan_with_everyone_in_goes_up_without_asking(world, catalogue):
    th = world.u("th_a1")
    for key in ("teacher_a1", "mentor_a1", "colleague_a1", "principal_a1"):
        plan_for(world.people[key], th, catalogue)
    plan = compile_(world, "principal_a1", "th_a1")
    assert plan.figures.coverage == (4, 4) and plan.figures.complete
    assert unit_plan_submit(scope=scope(world, "principal_a1"), plan=plan).status == PlanStatus.SUBMITTED


def test_an_office_plan_counts_its_units_not_its_people(world, catalogue):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue)
    unit_plan_approve(scope=scope(world, "xa_a1"), plan=submitted(world))
    office = compile_(world, "xa_a1", "xa_a1")
    done, of = office.figures.coverage
    assert (done, of) == (1, office.figures.units.total) and office.figures.units is not None
