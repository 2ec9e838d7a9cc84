"""Every figure of Biểu 3 against the small world of `world.py`, counted by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bdtx.bieu3.figures import Breakdown, Selection, bieu3_figures, percent, percent_text
from bdtx.bieu3.selectors import module_choices
from bdtx.bieu3.tests.world import OPEN_ANSWERS, PERIOD, build
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.organisations.services import unit_move
from bdtx.summaries.services import refresh_all
from bdtx.training.models import Enrolment

pytestmark = pytest.mark.django_db


def _figures(world, w, *, unit="xa_a2", preschool=False, modules=None):  # type: ignore[no-untyped-def]
    modules = modules or [w.gv4, w.gv5]
    sel = Selection(
        unit=world.u(unit),
        school_year=w.year,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        module_ids=tuple(m.pk for m in modules),
        preschool=preschool,
    )
    return bieu3_figures(selection=sel, modules=modules)


def b(total: int, women: int, minority: int, difficult: int) -> Breakdown:
    return Breakdown(total=total, women=women, minority=minority, difficult=difficult)


def test_percentages_round_half_up_to_one_decimal():
    assert percent(2, 3) == Decimal("66.7") and percent(1, 6) == Decimal("16.7")
    assert percent(1, 8) == Decimal("12.5") and percent(1, 16) == Decimal("6.3")  # 6.25 → 6.3
    assert percent(1, 0) is None and percent_text(None) == "–"
    assert percent_text(Decimal("66.7")) == "66,7%"


def test_section_ii_per_module_counted_by_hand(world):
    w = build(world)
    f = _figures(world, w)
    gv4, gv5 = f.modules
    assert gv4.module == w.gv4 and gv5.module == w.gv5
    # 2.1: P1–P6 (P7's plan is not approved, P8 is preschool, P9 retired, O1–O4 outside)
    assert gv4.in_scope == b(6, 4, 2, 1)
    assert gv5.in_scope == b(3, 2, 2, 1)
    # 2.2: P1, P2, P3, P5 and P6 (waiting); P4 withdrew, P8 is preschool, cohort B is after the period
    assert gv4.joined == b(5, 3, 2, 1)
    assert gv5.joined == b(0, 0, 0, 0)
    # 2.3: P1, P5 — 2.4: P2, P3, P6
    assert gv4.completed == b(2, 1, 1, 1)
    assert gv4.not_completed == b(3, 2, 1, 0)
    # 2.5: M1 marked everyone of group 1 (a "not passed" mark is a mark); M2 did not mark P3
    assert gv4.mentors_done == b(1, 1, 0, 0) and gv4.mentors == 2
    assert gv5.mentors_done == b(0, 0, 0, 0) and gv5.mentors == 0


def test_section_ii_percentages(world):
    w = build(world)
    gv4 = _figures(world, w).modules[0]
    cells = gv4.in_scope.cells()
    assert (cells["women_pct"], cells["minority_pct"], cells["difficult_pct"]) == ("66,7%", "33,3%", "16,7%")
    assert gv4.joined.cells()["women_pct"] == "60,0%" and gv4.joined.cells()["difficult_pct"] == "20,0%"
    assert gv4.completed.cells()["minority_pct"] == "50,0%"
    assert gv4.not_completed.cells()["difficult_pct"] == "0,0%"
    assert gv4.mentors_done.cells()["women_pct"] == "100,0%"
    assert (gv4.joined_pct, gv4.completed_pct, gv4.not_completed_pct) == (
        Decimal("83.3"),
        Decimal("40.0"),
        Decimal("50.0"),
    )


def test_the_total_sums_the_modules(world):
    w = build(world)
    t = _figures(world, w).total
    assert t.module is None
    assert t.in_scope == b(9, 6, 4, 2)
    assert t.in_scope.cells()["minority_pct"] == "44,4%" and t.in_scope.cells()["difficult_pct"] == "22,2%"
    assert (t.joined, t.completed, t.not_completed) == (b(5, 3, 2, 1), b(2, 1, 1, 1), b(3, 2, 1, 0))
    assert t.to_grade == b(2, 2, 1, 0) and t.not_started == b(3, 2, 2, 1)
    assert (t.joined_pct, t.completed_pct, t.not_completed_pct) == (Decimal("55.6"), Decimal("40.0"), Decimal("33.3"))


def test_section_iii_the_surveys(world):
    w = build(world)
    f = _figures(world, w)
    s = f.surveys
    # cohort A's enrolled learners: P1, P2, P3, P5, P8, O1–O4 (P6 waits, P4 withdrew); answers are anonymous
    assert (s.enrolled, s.responses, s.satisfied) == (9, 5, 3)
    assert f.response_pct == Decimal("55.6") and f.satisfied_pct == Decimal("60.0")
    assert s.open_answers == sorted(OPEN_ANSWERS) and f.survey_count == 1


def test_section_v_next_steps(world):
    w = build(world)
    gv4, gv5 = _figures(world, w).modules
    f = _figures(world, w)
    # 5.1: P2's practice work is not graded, P3 handed in again; P5's latest is graded
    assert gv4.to_grade == b(2, 2, 1, 0)
    # 5.2 a: still to finish = 2.4
    assert gv4.not_completed.total == 3
    # 5.2 b: learners of 2.2 enrolled in cohort A who did not answer: P2, P5 (P6 waits; P8 is
    # preschool, O1–O4 are outside the subtree)
    assert f.no_answer == b(2, 1, 2, 1)
    # 5.3: not started: P4 (withdrew) in GV4; P2, P5 in GV5 (P1 is enrolled in cohort B)
    assert gv4.not_started == b(1, 1, 0, 0)
    assert gv5.not_started == b(2, 1, 2, 1)


def test_a_cohort_without_a_schedule_counts_in_every_period_of_its_year(world):
    from bdtx.core.scope import SYSTEM
    from bdtx.regimes.models import Programme
    from bdtx.training.services import cohort_create

    w = build(world)
    online = cohort_create(
        scope=SYSTEM,
        organiser=world.u("xa_a2"),
        school_year=w.year,
        name="Tự học qua mạng mô đun 5",
        programme=Programme.BD03,
        module=w.gv5,
        form="tu_xa",
        capacity=100,
    )
    Enrolment.objects.create(
        cohort=online, person=w.people["P2"], unit=world.u("thcs_a2"), school_year=w.year, module=w.gv5
    )
    gv5 = _figures(world, w).modules[1]
    assert gv5.joined == b(1, 1, 1, 0)  # P2
    assert gv5.not_started == b(1, 0, 1, 1)  # P5 only now


def test_preschool_is_reported_separately(world):
    w = build(world)
    gv4 = _figures(world, w, preschool=True).modules[0]
    assert gv4.in_scope == b(1, 1, 0, 0)  # P8
    assert gv4.joined == b(1, 1, 0, 0) and gv4.completed == b(0, 0, 0, 0)


def test_learners_who_did_not_answer_are_those_of_the_reports_audience(world):
    w = build(world)
    # P8 (preschool, enrolled in cohort A) did not answer: in the preschool report, not the general one
    assert _figures(world, w).no_answer == b(2, 1, 2, 1)  # P2, P5
    assert _figures(world, w, preschool=True).no_answer == b(1, 1, 0, 0)  # P8
    # the Sở: P2, P5 and O4 (O1–O3 answered); still not P8
    assert _figures(world, w, unit="so_a").no_answer == b(3, 2, 3, 1)


def test_learners_who_did_not_answer_are_those_of_the_reports_modules_and_period(world):
    w = build(world)
    # only module 5: its cohort B runs after the period, so its learners are not reminded (P1 is in it)
    assert _figures(world, w, modules=[w.gv5]).no_answer == b(0, 0, 0, 0)


def test_the_sos_report_counts_the_whole_province(world):
    w = build(world)
    gv4 = _figures(world, w, unit="so_a").modules[0]
    assert gv4.in_scope == b(10, 8, 6, 1)  # P1–P6 and O1–O4
    assert gv4.joined == b(9, 7, 6, 1) and gv4.completed == b(6, 5, 5, 1)


def test_another_office_counts_nothing_of_it(world):
    w = build(world)
    t = _figures(world, w, unit="xa_a1").total
    assert t.in_scope == b(0, 0, 0, 0) and t.joined == b(0, 0, 0, 0)


def test_a_school_moved_after_the_year_counts_in_its_old_office_report_of_that_year(world):
    w = build(world)
    # thcs_a2 leaves UBND xã Tây (xa_a2) for xa_a1 the day after the school year ends
    unit_move(
        scope=SYSTEM, unit=world.u("thcs_a2"), new_parent=world.u("xa_a1"), effective=w.year.ends_on + timedelta(days=1)
    )
    old = _figures(world, w).total
    assert old.in_scope == b(9, 6, 4, 2) and old.joined == b(5, 3, 2, 1) and old.completed == b(2, 1, 1, 1)
    assert old.to_grade == b(2, 2, 1, 0) and old.not_started == b(3, 2, 2, 1)
    assert old.mentors_done == b(1, 1, 0, 0)
    assert _figures(world, w).no_answer == b(2, 1, 2, 1)  # P2, P5
    new = _figures(world, w, unit="xa_a1").total
    assert new.in_scope == b(0, 0, 0, 0) and new.joined == b(0, 0, 0, 0) and new.mentors == 0
    assert _figures(world, w, unit="xa_a1").no_answer == b(0, 0, 0, 0)
    assert set(module_choices(unit=world.u("xa_a2"), school_year=w.year)) == {w.gv4, w.gv5}
    assert not set(module_choices(unit=world.u("xa_a1"), school_year=w.year)) & {w.gv4, w.gv5}


def test_the_number_of_queries_does_not_grow(world):
    w = build(world)
    refresh_all()  # the units' summaries current: what a report costs then
    with CaptureQueriesContext(connection) as small:
        _figures(world, w)
    for _ in range(6):
        person = EmploymentFactory(unit=world.u("thcs_a2"), school_year=w.year, school_level="THCS").person
        Enrolment.objects.create(
            cohort=w.cohort_a, person=person, unit=world.u("thcs_a2"), school_year=w.year, module=w.gv4
        )
    refresh_all()
    with CaptureQueriesContext(connection) as big:
        _figures(world, w)
    assert len(big) == len(small) <= 16  # with the check that no unit changed since its summary


def test_summaries_kept_current_equal_summaries_computed_from_scratch(world):  # type: ignore[no-untyped-def]
    from django.db import connection as db

    from bdtx.organisations.models import Unit
    from bdtx.people.models import Person
    from bdtx.plans.models import PersonalPlan, PlanItem
    from bdtx.summaries.triggers import LOG_EVERYTHING

    w = build(world)
    before = _figures(world, w)
    # changes of every kind Biểu 3 reads, written the ways the app writes them
    first, second = w.people[sorted(w.people)[0]], w.people[sorted(w.people)[1]]
    PlanItem.objects.filter(plan__person=first, module=w.gv5).delete()
    PersonalPlan.objects.filter(person=second).update(status="returned")
    Enrolment.objects.filter(module=w.gv4).update(completed=True)
    Person.objects.filter(pk=first.pk).update(gender="M" if first.gender == "F" else "F")
    Unit.objects.filter(pk=world.u("thcs_a2").pk).update(difficult_area=True)
    kept = _figures(world, w)
    with db.cursor() as cursor:
        cursor.execute("DELETE FROM bieu3_unitscope")
        cursor.execute("DELETE FROM bieu3_unitjoined")
        cursor.execute(LOG_EVERYTHING)
    refresh_all()
    scratch = _figures(world, w)
    assert [(r.in_scope, r.not_started, r.joined, r.completed) for r in kept.modules] != [
        (r.in_scope, r.not_started, r.joined, r.completed) for r in before.modules
    ]
    assert [(r.in_scope, r.not_started, r.joined, r.completed) for r in kept.modules] == [
        (r.in_scope, r.not_started, r.joined, r.completed) for r in scratch.modules
    ]
