"""Reads: weak criteria for the recommendations, the list and its counts, who may open what."""

import pytest

from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.standards import selectors, services
from bdtx.standards.models import Assessment, CriterionRating, Level
from bdtx.standards.selectors import AssessmentFilter, latest_assessment, weak_criteria
from bdtx.standards.tests.conftest import levels_of, scope_of

pytestmark = pytest.mark.django_db
T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET


# --- weak criteria (what programme 03 should strengthen) ------------------------------------------


def test_weak_criteria_are_those_at_met_or_not_met_weakest_first(world, self_assess):
    self_assess("teacher_a1", K, submit=False, c9=D, c2=CD, c14=D, c5=T)
    year = school_year_current().pk
    assert [c.number for c in weak_criteria(person=world.people["teacher_a1"], school_year=year)] == [2, 9, 14]


def test_the_principals_level_wins_over_the_persons_own(world, submitted, tt20):
    user = world.users["principal_a1"]
    services.assessment_evaluate(scope=scope_of(user), assessment=submitted, levels=levels_of(tt20, K, c14=K, c6=D))
    # self: criterion 14 Đạt; principal: 14 Khá, 6 Đạt
    weak = weak_criteria(person=world.people["teacher_a1"], school_year=school_year_current())
    assert [c.number for c in weak] == [6]


def test_no_assessment_means_no_weak_criteria(world):
    assert weak_criteria(person=world.people["teacher_a1"], school_year=school_year_current()) == []


def test_weak_criteria_come_from_the_latest_assessment_up_to_the_year(world, submitted):
    year = school_year_current().pk
    SchoolYear.objects.get_or_create(
        pk=year + 1, defaults=dict(zip(("starts_on", "ends_on"), SchoolYear.default_bounds(year + 1), strict=True))
    )
    older = Assessment.objects.create(
        person=world.people["teacher_a1"],
        unit=world.u("th_a1"),
        school_year_id=year - 1,
        framework=submitted.framework,
    )
    CriterionRating.objects.create(
        assessment=older, criterion=submitted.framework.standards.get(number=1).criteria.get(number=1), self_level=CD
    )
    person = world.people["teacher_a1"]
    assert latest_assessment(person=person, school_year=year - 1) == older
    assert [c.number for c in weak_criteria(person=person, school_year=year - 1)] == [1]
    assert [c.number for c in weak_criteria(person=person, school_year=year + 1)] == [14]


# --- frameworks ----------------------------------------------------------------------------------


def test_the_framework_in_force_follows_the_audience_and_the_years(tt20):
    assert selectors.framework_in_force(audience="GVPT", school_year=SchoolYear.of(2024)) == tt20
    assert selectors.framework_in_force(audience="GVPT", school_year=SchoolYear.of(2017)) is None
    tt20.last_year = 2025
    tt20.save()
    assert selectors.framework_in_force(audience="GVPT", school_year=SchoolYear.of(2026)) is None


# --- list, counts, access ------------------------------------------------------------------------


def test_the_list_shows_the_assessments_of_the_viewers_units_only(world, submitted, self_assess):
    other = self_assess("teacher_a2", K)
    year = school_year_current().pk
    mine = selectors.assessment_list(scope=scope_of(world.users["principal_a1"]), f=AssessmentFilter(school_year=year))
    assert list(mine) == [submitted]
    so = selectors.assessment_list(scope=scope_of(world.users["so_a"]), f=AssessmentFilter(school_year=year))
    assert set(so) == {submitted, other}
    assert not selectors.assessment_list(scope=scope_of(world.users["so_b"]), f=AssessmentFilter(school_year=year))


def test_the_counts_per_rating_and_status_come_from_the_database(
    world, submitted, self_assess, django_assert_num_queries
):
    self_assess("teacher_a2", T)
    self_assess("colleague_a1", D, submit=False)
    qs = selectors.assessment_list(
        scope=scope_of(world.users["so_a"]), f=AssessmentFilter(school_year=school_year_current())
    )
    with django_assert_num_queries(1):
        counts = selectors.assessment_counts(qs)
    assert counts.total == 3
    assert dict(counts.status) == {
        Assessment.Status.DRAFT: 1,
        Assessment.Status.SUBMITTED: 2,
        Assessment.Status.EVALUATED: 0,
    }
    by_level = {lvl: (s, p) for lvl, s, p in counts.levels}
    assert by_level[T] == (1, 0) and by_level[K] == (1, 0) and by_level[D] == (1, 0)


def test_a_colleague_opens_a_submitted_self_assessment_but_not_a_draft(world, user_for, self_assess):
    colleague = user_for("colleague_a1")
    draft = self_assess("teacher_a1", K, submit=False)
    with pytest.raises(Assessment.DoesNotExist):
        selectors.assessment_get(scope=scope_of(colleague), uuid=str(draft.uuid))
    submitted = self_assess("teacher_a1", K)
    a = selectors.assessment_get(scope=scope_of(colleague), uuid=str(submitted.uuid))
    access = selectors.assessment_access(scope=scope_of(colleague), assessment=a)
    assert access.colleague and access.opinion and not access.view_all and not access.evaluate


def test_a_teacher_of_another_school_cannot_open_it(world, user_for, submitted):
    with pytest.raises(Assessment.DoesNotExist):
        selectors.assessment_get(scope=scope_of(user_for("teacher_a2")), uuid=str(submitted.uuid))
