"""Year results from data (issue 10), at their boundaries: TT 19/2019 (every plan item completed,
every graded component at the pass mark: 4.99 vs 5.00, a missing completion signal, a missing plan
item) and TT 26/2012 (the average and its thresholds, from the regime's data); recognised results
are never recomputed; the computation is set-based (a constant number of queries)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.results.compute import results_compute
from bdtx.results.models import ResultStatus, YearResult
from bdtx.training.completion import signal_write
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import AssessmentComponent, Assessor, Enrolment, Score, ScoreSource, SignalSource
from bdtx.training.services import enrolment_bulk_from_plans, groups_split
from bdtx.training.tests.conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def rw(world, mods):  # type: ignore[no-untyped-def]
    """Two teachers of th_a1 with module GV4 in their approved plans, enrolled in a cohort (no
    in-person sessions: attendance asks nothing)."""
    people = staff(world.u("th_a1"), 2)
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() + timedelta(days=3))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    return c, people


def _complete(c, person, *, practice: str = "8", lms: str = "7") -> Enrolment:  # type: ignore[no-untyped-def]
    e = Enrolment.objects.select_related("cohort", "unit", "group", "completion_list", "person").get(
        cohort=c, person=person
    )
    lms_results_import(
        scope=SYSTEM,
        cohort=c,
        results=[ResultIn(e.pk, timezone.now(), "t", progress=100, passed=True, score=Decimal(lms))],
    )
    for party in (Assessor.MENTOR, Assessor.INSTITUTION):
        signal_write(scope=SYSTEM, enrolment=e, party=party, passed=True, source=SignalSource.MANUAL)
    component = AssessmentComponent.objects.get(cohort=c, kind="practice")
    Score.objects.create(
        enrolment=e, component=component, value=Decimal(practice), source=ScoreSource.GRID, entered_at=timezone.now()
    )
    return e


def _result(person, mods) -> YearResult:  # type: ignore[no-untyped-def]
    return YearResult.objects.get(person=person, school_year=mods.year)


def test_every_item_completed_and_every_score_at_five_is_hoan_thanh(world, mods, rw):
    c, (a, b) = rw
    _complete(c, a, practice="5.00", lms="5.00")
    _complete(c, b, practice="4.99")
    summary = results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert (summary.people, summary.completed) == (2, 1)
    ra, rb = _result(a, mods), _result(b, mods)
    assert (ra.category, ra.completed, ra.reasons) == ("hoan_thanh", True, [])
    assert (rb.category, rb.completed) == ("khong_hoan_thanh", False)
    assert rb.reasons == [{"code": "score", "what": "Bài thu hoạch", "value": "4.99"}]


def test_a_missing_completion_signal_leaves_the_plan_item_open(world, mods, rw):
    c, (a, _b) = rw
    e = _complete(c, a)
    signal_write(scope=SYSTEM, enrolment=e, party=Assessor.INSTITUTION, passed=False, source=SignalSource.MANUAL)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    r = _result(a, mods)
    assert not r.completed and r.reasons[0] == {"code": "item", "title": mods.gv.title}


def test_a_plan_item_without_a_module_taken_is_missing(world, mods, rw):
    c, (a, _b) = rw
    _complete(c, a)
    plan = PersonalPlan.objects.get(person=a, school_year=mods.year)
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=mods.ql, title=mods.ql.title, hours=40)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    r = _result(a, mods)
    assert not r.completed and {"code": "item", "title": mods.ql.title} in r.reasons


def test_recognised_results_are_frozen_and_others_keep_their_identity(world, mods, rw):
    c, (a, b) = rw
    _complete(c, a)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    ra, rb = _result(a, mods), _result(b, mods)
    YearResult.objects.filter(pk=ra.pk).update(status=ResultStatus.RECOGNISED)
    YearResult.objects.filter(pk=rb.pk).update(status=ResultStatus.PROPOSED)
    Score.objects.filter(enrolment__person=a).update(value=Decimal("3"))
    _complete(c, b)
    summary = results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert summary.kept == 1
    assert _result(a, mods).completed  # recognised: not recomputed
    new_b = _result(b, mods)
    assert new_b.uuid == rb.uuid and new_b.status == ResultStatus.PROPOSED and new_b.completed


def test_tt26_grades_from_the_regimes_thresholds(world, mods):
    """A historic year under TT 26/2012: nd1 9, nd2 9, nd3 mean(9, 7) = 8 → average 8.67 with no score
    under 7 → 8.7 (rounded as the regime data says): under Giỏi (≥ 9), so Khá."""
    year = SchoolYear.of(2015)
    regime = Regime.objects.for_year(year)
    assert (regime.grading or {}).get("thresholds")
    from bdtx.training.models import Cohort

    person = staff(world.u("th_a1"), 1)[0]
    plan = PersonalPlan.objects.create(
        person=person, unit=world.u("th_a1"), school_year=year, regime=regime, status=PlanStatus.APPROVED
    )
    values = {Programme.BD01: ["9"], Programme.BD02: ["9"], Programme.BD03: ["9", "7"]}
    n = 0
    for programme, scores in values.items():
        for v in scores:
            n += 1
            module = (
                mods.gv if programme == Programme.BD03 and n % 2 else (mods.ql if programme == Programme.BD03 else None)
            )
            co = Cohort.objects.create(
                school_year=year, organiser=world.u("so_a"), name=f"Lớp {n}", programme=programme, module=module,
                content_title="" if module else "Nội dung", capacity=10,
            )  # fmt: skip
            comp = AssessmentComponent.objects.create(cohort=co, kind="practice", name="Bài", assessed_by="institution")
            e = Enrolment.objects.create(
                cohort=co, person=person, unit=world.u("th_a1"), school_year=year, module=module, completed=True
            )
            Score.objects.create(
                enrolment=e, component=comp, value=Decimal(v), source="grid", entered_at=timezone.now()
            )
            PlanItem.objects.create(plan=plan, programme=programme, module=module, title=f"Mục {n}", hours=30)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=year)
    r = YearResult.objects.get(person=person, school_year=year)
    assert r.category == "kha" and r.completed and r.average == Decimal("8.70")  # one decimal, as the data says


def test_only_the_school_and_those_above_compute(world, mods, rw, scope_of):
    with pytest.raises(PermissionDenied):
        results_compute(scope=scope_of("teacher_a1"), unit=world.u("th_a1"), school_year=mods.year)
    with pytest.raises(PermissionDenied):
        results_compute(scope=scope_of("principal_a2"), unit=world.u("th_a1"), school_year=mods.year)
    results_compute(scope=scope_of("principal_a1"), unit=world.u("th_a1"), school_year=mods.year)
    assert AuditLog.objects.filter(action="results.compute").exists()


def test_the_computation_is_set_based(world, mods, rw, django_assert_max_num_queries):
    c, people = rw
    for p in people:
        _complete(c, p)
    more = staff(world.u("th_a1"), 6)
    for p in more:
        approve(p, world.u("th_a1"), mods.gv)
    with django_assert_max_num_queries(12):
        summary = results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert summary.people == 8


# --- a core teacher's tiết quy đổi (seed 003: supporting 50 learners = 40 periods) ---------------------


def _core_teacher_supporting(world, mods, c, learners: int):  # type: ignore[no-untyped-def]
    """A core teacher of th_a1 whose approved plan holds module QL (40 periods of programme 03, never
    taken), leading a support group of `learners` enrolled learners of cohort `c`."""
    from bdtx.training.models import SupportGroup

    mentor = staff(world.u("th_a1"), 1, mentor=True)[0]
    approve(mentor, world.u("th_a1"), mods.ql)
    PlanItem.objects.filter(plan__person=mentor, module=mods.ql).update(hours=40)
    group = SupportGroup.objects.create(cohort=c, number=99, name="Nhóm cốt cán", mentor=mentor)
    learners_ = staff(world.u("th_a1"), learners)
    for p in learners_:
        Enrolment.objects.create(cohort=c, person=p, unit=world.u("th_a1"), school_year=mods.year, group=group)
    return mentor


def test_fifty_learners_supported_stand_for_the_core_teachers_forty_periods(world, mods, rw):
    c, _people = rw
    mentor = _core_teacher_supporting(world, mods, c, 50)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    r = _result(mentor, mods)
    # no module taken, no score: the programme 03 item is covered by 40.0 tiết quy đổi
    assert {"code": "item", "title": mods.ql.title} not in r.reasons
    assert r.components["mentor_hours"] == "40.0" and r.components["programme"] == Programme.BD03
    assert {"code": "no_scores"} in r.reasons  # and nothing else about items


def test_forty_nine_learners_fall_short_and_the_item_stays_open(world, mods, rw):
    c, _people = rw
    mentor = _core_teacher_supporting(world, mods, c, 49)  # 49 × 40 / 50 = 39.2 < 40
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    r = _result(mentor, mods)
    assert not r.completed
    assert {"code": "item", "title": mods.ql.title} in r.reasons
    assert {"code": "mentor_hours", "hours": "39.2", "needed": "40"} in r.reasons


def test_tiet_quy_doi_count_for_nothing_when_the_rule_says_so(world, mods, rw):
    from bdtx.training.models import MentorRule

    c, _people = rw
    MentorRule.objects.update(counts_towards="")
    mentor = _core_teacher_supporting(world, mods, c, 50)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    r = _result(mentor, mods)
    assert {"code": "item", "title": mods.ql.title} in r.reasons and "mentor_hours" not in r.components


# --- results follow the data until they are recognised ------------------------------------------------


def test_a_score_changed_before_recognition_recomputes_the_result(world, mods, rw):
    from bdtx.training.scores import score_set

    c, (a, b) = rw
    e = _complete(c, a, practice="4")
    _complete(c, b)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert not _result(a, mods).completed
    YearResult.objects.filter(person=b).update(status=ResultStatus.RECOGNISED)
    component = AssessmentComponent.objects.get(cohort=c, kind="practice")
    score_set(scope=SYSTEM, enrolment=e, component=component, value="6,5")
    assert _result(a, mods).completed  # recomputed in the same transaction
    eb = Enrolment.objects.select_related("cohort", "unit", "completion_list", "person").get(cohort=c, person=b)
    score_set(scope=SYSTEM, enrolment=eb, component=component, value="2")
    assert _result(b, mods).completed  # recognised: frozen


def test_a_completion_lost_before_recognition_recomputes_the_result(world, mods, rw):
    c, (a, _b) = rw
    e = _complete(c, a)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    assert _result(a, mods).completed
    signal_write(scope=SYSTEM, enrolment=e, party=Assessor.MENTOR, passed=False, source=SignalSource.MANUAL)
    r = _result(a, mods)
    assert not r.completed and {"code": "item", "title": mods.gv.title} in r.reasons


def test_people_whose_school_has_not_computed_get_no_result_from_a_change(world, mods, rw):
    c, (a, _b) = rw
    _complete(c, a)
    assert not YearResult.objects.filter(person=a).exists()


def test_tt26_components_take_the_programmes_the_regime_data_lists(world, mods):
    """Swap what nd1 and nd3 take in the regime's data: the same scores grade differently."""
    from bdtx.results.compute import _grade_input

    regime = Regime.objects.for_year(SchoolYear.of(2015))
    scores = [(1, Programme.BD01, "a", Decimal("6")), (2, Programme.BD02, "b", Decimal("9")),
              (3, Programme.BD03, "c", Decimal("9")), (4, Programme.BD03, "d", Decimal("7"))]  # fmt: skip
    assert _grade_input(regime, scores) == {"nd1": Decimal("6"), "nd2": Decimal("9"), "nd3": [Decimal(9), Decimal(7)]}
    grading = dict(regime.grading)
    grading["components"] = [
        {**comp, "programmes": {"nd1": ["BD03"], "nd2": ["BD02"], "nd3": ["BD01"]}[comp["code"]]}
        for comp in grading["components"]
    ]
    regime.grading = grading
    assert _grade_input(regime, scores) == {"nd1": [Decimal(9), Decimal(7)], "nd2": Decimal("9"), "nd3": Decimal("6")}
