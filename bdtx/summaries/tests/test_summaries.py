"""The change log the triggers keep, and summaries kept current by it equal to summaries computed
from scratch (so a missing trigger, or a write that slips past one, fails here)."""

from datetime import date

import pytest
from django.db import connection

from bdtx.core.models import SchoolYear
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.dashboards.selectors import Figures, dashboard_figures
from bdtx.dashboards.tests.conftest import YEAR, add_person, build_town, enrol, give_plan, give_result
from bdtx.people.models import Employment, Person
from bdtx.plans.models import PersonalPlan, PlanStatus
from bdtx.results.models import YearResult
from bdtx.summaries.models import Change
from bdtx.summaries.services import refresh, refresh_all
from bdtx.summaries.triggers import LOG_EVERYTHING
from bdtx.training.models import Cohort, Enrolment
from bdtx.yearreports.selectors import live_figures

pytestmark = pytest.mark.django_db


def _logged() -> set[tuple[int, int]]:
    return set(Change.objects.values_list("school_year_id", "unit_id"))


@pytest.fixture
def town(world):  # type: ignore[no-untyped-def]
    town = build_town(world, schools=3, people_per_school=2)
    Change.objects.all().delete()
    return town


def test_an_employment_written_is_logged_and_a_change_nobody_counts_is_not(town) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = town.schools
    year = SchoolYear.of(YEAR).pk
    person = add_person(a)
    assert _logged() == {(year, a.pk)}
    Change.objects.all().delete()
    Employment.objects.filter(person=person).update(position="Tổ trưởng")  # nothing a figure reads
    assert _logged() == set()
    Employment.objects.filter(person=person).update(unit=b)  # moved: both schools change
    assert _logged() == {(year, a.pk), (year, b.pk)}
    Change.objects.all().delete()
    Employment.objects.filter(person=person).delete()
    assert _logged() == {(year, b.pk)}


def test_an_enrolment_logs_its_unit_and_the_learners_school(town) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = town.schools
    year = SchoolYear.of(YEAR).pk
    learner = add_person(a)
    Change.objects.all().delete()
    assert town.cohort is not None
    enrol(town.cohort, learner, b)  # enrolled through another school
    assert _logged() == {(year, a.pk), (year, b.pk)}
    Change.objects.all().delete()
    Enrolment.objects.filter(person=learner).update(completed=True)  # a bulk update, no signal
    assert _logged() == {(year, a.pk), (year, b.pk)}


def test_results_plans_people_units_and_cohorts_are_logged(town) -> None:  # type: ignore[no-untyped-def]
    a, b, c = town.schools
    year = SchoolYear.of(YEAR).pk
    person = town.people[a.code][0]
    YearResult.objects.filter(person=person).update(completed=False)
    assert _logged() == {(year, a.pk)}
    Change.objects.all().delete()
    PersonalPlan.objects.filter(person=person).update(status=PlanStatus.RETURNED)
    assert _logged() == {(year, a.pk)}
    Change.objects.all().delete()
    EmploymentFactory(person=person, unit=b, school_year=SchoolYear.of(YEAR - 1))
    Change.objects.all().delete()
    Person.objects.filter(pk=person.pk).update(gender="M")  # every year of theirs
    assert _logged() == {(year, a.pk), (YEAR - 1, b.pk)}
    Change.objects.all().delete()
    type(c).objects.filter(pk=c.pk).update(difficult_area=True)
    assert _logged() == {(year, c.pk)}
    Change.objects.all().delete()
    Cohort.objects.filter(pk=town.cohort.pk).update(programme="BD01")
    assert _logged() == {(year, s.pk) for s in town.schools}


def _yearreport(town):  # type: ignore[no-untyped-def]
    return live_figures(unit=town.commune, school_year=SchoolYear.of(YEAR)).to_json()


def _dashboard(town):  # type: ignore[no-untyped-def]
    f = dashboard_figures(unit=town.commune, school_year=SchoolYear.of(YEAR), wait=True)
    assert isinstance(f, Figures)
    return (f.total.counts, f.total.enrolments, f.total.enrolments_completed, f.modules, f.months)


def _from_scratch(town):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        for table in ("yearreports_unitfigures", "dashboards_unitpeople", "dashboards_unitenrolments"):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(LOG_EVERYTHING)
    refresh_all()
    return _yearreport(town), _dashboard(town)


def test_summaries_kept_current_equal_summaries_computed_from_scratch(town) -> None:  # type: ignore[no-untyped-def]
    a, b, c = town.schools
    before = (_yearreport(town), _dashboard(town))
    # a year of changes, written every way the app writes: objects, bulk updates, deletes
    newcomer = add_person(c, women=False, minority=True, difficult=True)
    give_plan(newcomer, c, status=PlanStatus.SUBMITTED)
    assert town.cohort is not None
    enrol(town.cohort, newcomer, c, completed=True, on=date(2027, 3, 2))
    give_result(newcomer, c, completed=False)
    Enrolment.objects.filter(unit=a).update(completed=True)
    YearResult.objects.filter(person__in=town.people[b.code]).delete()
    Person.objects.filter(pk=town.people[a.code][1].pk).update(ethnicity_id="01")
    type(b).objects.filter(pk=b.pk).update(ownership="private")
    Employment.objects.filter(person=town.people[b.code][0]).update(unit=c)
    Cohort.objects.filter(pk=town.cohort.pk).update(content_title="Kỹ năng số")
    kept = (_yearreport(town), _dashboard(town))
    assert kept != before
    assert kept == _from_scratch(town)


def test_a_refresh_consumes_the_changes_of_its_units_only(town) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = town.schools
    year = SchoolYear.of(YEAR).pk
    Enrolment.objects.filter(unit__in=[a, b]).update(completed=True)
    refresh(school_year_id=year, unit_ids=[a.pk])
    assert _logged() == {(year, b.pk)}


def test_the_command_recomputes_everything(town) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from bdtx.yearreports.models import UnitFigures

    refresh_all()
    UnitFigures.objects.all().delete()  # lost, as after a bulk load with the triggers off
    call_command("refresh_summaries", "--all", verbosity=0)
    assert not Change.objects.exists()
    assert _yearreport(town) == _from_scratch(town)[0]
    assert UnitFigures.objects.filter(unit__in=town.schools).exists()
