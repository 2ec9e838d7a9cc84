"""The dashboard's figures: what each counts, by unit, module, group and month, in a constant
number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bdtx.core.models import SchoolYear
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.dashboards.selectors import Figures, dashboard_figures, dashboard_get
from bdtx.dashboards.tests.conftest import YEAR, add_person, build_town, enrol, give_plan
from bdtx.people.models import Employment, EmploymentStatus
from bdtx.plans.models import PlanStatus
from bdtx.summaries.services import refresh_all
from bdtx.training.models import Enrolment, EnrolmentStatus


def figures(unit):  # type: ignore[no-untyped-def]
    return dashboard_figures(unit=unit, school_year=SchoolYear.of(YEAR))


def test_a_commune_counts_each_school_and_the_whole(world, town):
    f = figures(town.commune)
    a, b = town.schools
    assert set(f.children) == {a.pk, b.pk}
    for row in (f.children[a.pk], f.children[b.pk]):
        assert row.total("in_scope") == 3
        assert row.total("plans_submitted") == row.total("plans_approved") == 3
        assert row.total("enrolled") == 3
        assert row.total("completed") == 1
        assert row.total("results_completed") == 3
        assert (row.enrolments, row.enrolments_completed) == (3, 1)
        assert row.progress.value == 33
    assert f.total.total("in_scope") == 6
    assert f.total.counts["in_scope"] == {"all": 6, "women": 6, "minority": 6, "minority_women": 6, "difficult": 0}


def test_people_who_left_are_not_in_scope_and_those_on_leave_are(world, town):
    school = town.schools[0]
    add_person(school, status=EmploymentStatus.LEAVE)
    add_person(school, status=EmploymentStatus.LEFT)
    assert figures(school).total.total("in_scope") == 4


def test_groups_are_counted_by_gender_ethnicity_and_the_posts_area(world, town):
    school = town.schools[0]
    add_person(school, women=False, minority=False, difficult=True)  # a Kinh man at a difficult site
    add_person(school, women=True, minority=False)  # a Kinh woman
    add_person(school, women=False, minority=True)  # a minority man
    counts = figures(school).total.counts["in_scope"]
    assert counts == {"all": 6, "women": 4, "minority": 4, "minority_women": 3, "difficult": 1}


def test_a_submitted_plan_counts_as_submitted_not_approved_and_a_draft_as_neither(world, town):
    school = town.schools[0]
    give_plan(add_person(school), school, PlanStatus.SUBMITTED)
    give_plan(add_person(school), school, PlanStatus.DRAFT)
    row = figures(school).total
    assert (row.total("plans_submitted"), row.total("plans_approved")) == (4, 3)


def test_the_waiting_list_and_withdrawn_enrolments_do_not_count(world, town):
    school = town.schools[0]
    person = add_person(school)
    e = enrol(town.cohort, person, school)
    Enrolment.objects.filter(pk=e.pk).update(status=EnrolmentStatus.WAITING)
    row = figures(school).total
    assert row.total("enrolled") == 3
    assert row.enrolments == 3


def test_modules_and_months(world, town):
    f = figures(town.commune)
    assert [(m.title, m.enrolments, m.completed) for m in f.modules] == [("Văn hoá địa phương", 6, 2)]
    by_month = {p.key: (p.completed, p.cumulative) for p in f.months}
    assert by_month["2026-09"] == (0, 0)
    assert by_month["2026-10"] == (2, 2)
    assert by_month["2027-06"] == (0, 2)
    assert len(f.months) == 12


def test_a_year_counts_through_the_tree_of_that_year(world):
    # th_a1 moved from the district to commune xa_a1 on 01/07/2025: 2024-2025 rolls up through the district
    EmploymentFactory(unit=world.u("th_a1"), school_year=SchoolYear.of(2024))
    f_old = dashboard_figures(unit=world.u("phong_a"), school_year=SchoolYear.of(2024))
    assert f_old.children[world.u("th_a1").pk].total("in_scope") == 1
    assert dashboard_figures(unit=world.u("xa_a1"), school_year=SchoolYear.of(2024)).total.total("in_scope") == 0
    assert dashboard_figures(unit=world.u("xa_a1"), school_year=SchoolYear.of(2026)).total.total("in_scope") == 4


def _queries(unit, scope) -> int:  # type: ignore[no-untyped-def]
    year = SchoolYear.of(YEAR)
    refresh_all()  # the summaries current: what a page costs then
    with CaptureQueriesContext(connection) as ctx:
        dashboard_get(scope=scope, unit=unit, school_year=year, figures=dashboard_figures(unit=unit, school_year=year))
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_units_or_people(world, scope_of):
    small = build_town(world, schools=1, people_per_school=1)
    SchoolYear.of(YEAR)  # cached
    n_small = _queries(small.commune, scope_of("so_a"))
    big = build_town(world, schools=12, people_per_school=6, tag="B")
    for school in big.schools[:3]:
        for _ in range(5):
            add_person(school, women=False)
    n_big = _queries(big.commune, scope_of("so_a"))
    assert n_small == n_big <= 8
    # the same at the top of the tree
    assert _queries(world.u("bo"), scope_of("ministry")) == n_small


def test_recomputing_changed_units_takes_a_constant_number_of_queries(world):
    town = build_town(world, schools=6, people_per_school=3)
    year = SchoolYear.of(YEAR)
    refresh_all()
    Employment.objects.filter(unit=town.schools[0]).update(difficult_area=True)  # one school changed
    with CaptureQueriesContext(connection) as one:
        dashboard_figures(unit=town.commune, school_year=year)
    Employment.objects.filter(unit__in=town.schools).update(difficult_area=False)  # all six changed
    with CaptureQueriesContext(connection) as six:
        figures = dashboard_figures(unit=town.commune, school_year=year)
    assert len(one) == len(six)
    assert isinstance(figures, Figures) and figures.total.counts["in_scope"]["difficult"] == 0


def test_a_completion_outside_the_years_months_counts_in_the_nearest(world, town):
    school = town.schools[0]
    enrol(town.cohort, add_person(school), school, completed=True, on=date(2027, 8, 3))
    f = figures(school)
    assert f.months[-1].completed == 1


def test_a_completion_with_no_recorded_date_is_in_no_month_and_counted_apart(world, town):
    school = town.schools[0]
    before = figures(school)
    enrol(town.cohort, add_person(school), school, completed=True, on=None)
    f = figures(school)
    assert f.months == before.months  # not piled into June
    assert (before.undated_completions, f.undated_completions) == (0, 1)
