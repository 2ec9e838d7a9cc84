"""Recommendations: needs (weak criteria) → programme 03 modules, with reasons."""

import pytest
from django.utils.translation import gettext as _

from bdtx.catalog.models import FocusModule
from bdtx.core.models import SchoolYear
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.plans.personal.recommend import recommend_modules
from bdtx.plans.personal.selectors import modules_done_before
from bdtx.regimes.models import Programme, Regime
from bdtx.standards.models import Level

from .conftest import YEAR, assess

pytestmark = pytest.mark.django_db


def codes(recs) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.module.code for r in recs]


def test_modules_serving_weak_criteria_are_proposed_weakest_first(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.MET, 2: Level.NOT_MET, 3: Level.GOOD, 4: Level.EXCELLENT})
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    # criterion 2 (Chưa đạt) before criterion 1 (Đạt); 3 and 4 are not weak
    assert codes(recs) == ["B20", "A20"]
    assert [c.number for c in recs[0].criteria] == [2]


def test_a_person_without_an_assessment_gets_only_focus_modules(world, pcat):
    FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=pcat.m["C40"], priority=1)
    recs = recommend_modules(person=world.people["teacher_a1"], school_year=SchoolYear.of(YEAR))
    assert codes(recs) == ["C40"]
    assert recs[0].is_focus


def test_focus_modules_of_the_province_come_first_in_its_order(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET})
    FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=pcat.m["B20"], priority=2)
    FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=pcat.m["C40"], priority=1)
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert codes(recs) == ["C40", "B20", "A20"]
    assert [r.is_focus for r in recs] == [True, True, False]
    assert (_("Focus module of %(unit)s this year") % {"unit": world.u("so_a").name}) in recs[0].reason


def test_another_provinces_focus_modules_are_not_proposed(world, pcat):
    FocusModule.objects.create(unit=world.u("so_b"), school_year_id=YEAR, module=pcat.m["C40"], priority=1)
    assert list(recommend_modules(person=world.people["teacher_a1"], school_year=SchoolYear.of(YEAR))) == []


def test_the_reason_names_the_criterion_and_its_rating(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.MET})
    (rec,) = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    expected = _("serves criterion %(n)s (rated %(level)s)") % {"n": 1, "level": Level.MET.label}
    assert expected[1:] in rec.reason  # the reason starts with a capital letter


def test_the_principals_level_wins_over_the_persons_own(world, pcat):
    teacher = world.people["teacher_a1"]
    a = assess(teacher, world.u("th_a1"), pcat, {1: Level.GOOD, 2: Level.MET})
    a.ratings.filter(criterion=pcat.criteria[1]).update(principal_level=Level.NOT_MET)
    assert codes(recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))) == ["A20", "B20"]


def test_modules_of_another_audience_level_or_out_of_force_are_never_proposed(world, pcat):
    teacher = world.people["teacher_a1"]  # a primary (TH) teacher
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET})
    recs = codes(recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR)))
    assert "A20" in recs
    assert not {"THCS", "QL", "OLD"} & set(recs)


def test_a_lower_secondary_teacher_is_offered_the_lower_secondary_module(world, pcat):
    teacher = world.people["teacher_a2"]  # THCS
    assess(teacher, world.u("thcs_a2"), pcat, {1: Level.NOT_MET})
    assert set(codes(recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR)))) == {"A20", "THCS"}


def test_the_proposal_fills_exactly_the_periods_of_programme_03(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET, 2: Level.NOT_MET, 3: Level.NOT_MET})
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    bd03 = Regime.objects.for_year(SchoolYear.of(YEAR)).bd03_hours
    proposed = [r for r in recs if r.in_proposal]
    assert sum(r.module.hours_total for r in proposed) == bd03 == 40
    assert codes(proposed) == ["A20", "B20"]  # the weakest first; C40 no longer fits
    assert codes(recs) == ["A20", "B20", "C40"]


def test_a_module_of_unknown_periods_is_set_aside_and_cannot_fill_the_periods(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {4: Level.NOT_MET})
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert list(recs) == []  # not recommended: it cannot count
    (rec,) = recs.without_hours
    assert rec.module == pcat.m["N"]
    assert not rec.hours_known and not rec.in_proposal
    assert _("its periods are not in the catalog yet, so it cannot count toward the required periods") in rec.reason


def _approved_plan(world, person, year, modules):  # type: ignore[no-untyped-def]
    plan = PersonalPlan.objects.create(
        person=person,
        unit=world.u("th_a1"),
        school_year_id=year,
        regime=Regime.objects.for_year(SchoolYear.of(year)),
        status=PlanStatus.APPROVED,
    )
    for m in modules:
        PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=m, title=m.title, hours=20)
    return plan


def test_modules_completed_in_an_earlier_year_are_skipped(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET, 2: Level.NOT_MET})
    _approved_plan(world, teacher, YEAR - 1, [pcat.m["A20"]])
    assert codes(recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))) == ["B20"]


def test_only_an_approved_plan_of_an_earlier_year_counts_as_completed(world, pcat):
    teacher = world.people["teacher_a1"]
    earlier = _approved_plan(world, teacher, YEAR - 1, [pcat.m["A20"]])
    _approved_plan(world, teacher, YEAR, [pcat.m["B20"]])
    assert modules_done_before(person=teacher, school_year=SchoolYear.of(YEAR)) == {pcat.m["A20"].pk}
    PersonalPlan.objects.filter(pk=earlier.pk).update(status=PlanStatus.SUBMITTED)
    assert modules_done_before(person=teacher, school_year=SchoolYear.of(YEAR)) == set()
    assert modules_done_before(person=teacher, school_year=SchoolYear.of(YEAR + 1)) == {pcat.m["B20"].pk}


def test_a_person_on_no_staff_list_that_year_gets_no_recommendation(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET})
    assert list(recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR + 3))) == []


def test_modules_already_chosen_are_left_out_and_the_proposal_fills_what_they_leave(world, pcat):
    teacher = world.people["teacher_a1"]
    assess(teacher, world.u("th_a1"), pcat, {1: Level.NOT_MET, 2: Level.NOT_MET, 3: Level.NOT_MET})
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR), chosen=[pcat.m["A20"]])
    assert codes(recs) == ["B20", "C40"]
    assert [r.in_proposal for r in recs] == [True, False]  # 20 periods were left to fill


@pytest.mark.parametrize(
    ("hours", "target", "taken"),
    [
        ([40, 40, 40], 40, [True, False, False]),  # three focus modules of 40: only one fits
        ([30, 20, 10], 40, [True, False, True]),  # 30 alone falls short: 30 + 10 fills it
        ([21, 19, 20, 20], 40, [True, True, False, False]),
        ([25, 20, 20], 40, [False, True, True]),  # 25 can be completed by nothing after it
        ([30, 30], 40, [False, False]),  # nothing adds up exactly
        ([20, 20], 0, [False, False]),
    ],
)
def test_the_proposal_adds_up_to_exactly_the_periods_left_preferring_the_earlier_modules(hours, target, taken):
    from bdtx.plans.personal.recommend import exact_fill

    assert exact_fill(hours, target) == taken


def test_three_focus_modules_of_40_periods_propose_one_and_say_the_others_do_not_fit(world, pcat):
    teacher = world.people["teacher_a1"]
    for i, code in enumerate(["C40", "D19", "E21"], start=1):
        FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=pcat.m[code], priority=i)
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR))
    assert codes(recs.proposed) == ["C40"] and recs.complete and (recs.planned, recs.target) == (40, 40)
    assert [r.fits for r in recs.others] == [True, True]  # 19 and 21 each fit in 40 on their own
    recs = recommend_modules(person=teacher, school_year=SchoolYear.of(YEAR), chosen=[pcat.m["D19"]])
    assert codes(recs.proposed) == ["E21"] and recs.target == 21 and not recs[0].fits  # C40 > 21
