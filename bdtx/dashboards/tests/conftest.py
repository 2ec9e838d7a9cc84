"""A commune of our own under the Sở of province A, with schools whose people we know exactly."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import KINH_CODE, Employment, EmploymentStatus, Gender, Person
from bdtx.plans.models import PersonalPlan, PlanStatus
from bdtx.regimes.models import Regime
from bdtx.results.models import YearResult
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus

YEAR = 2026
MINORITY_CODE = "07"  # Mường


@dataclass
class Town:
    """The commune, its schools and the people of each, as built."""

    commune: Unit
    schools: list[Unit] = field(default_factory=list)
    people: dict[str, list[Person]] = field(default_factory=dict)
    cohort: Cohort | None = None


def add_person(
    school: Unit,
    *,
    women: bool = True,
    minority: bool = False,
    difficult: bool | None = None,
    status: str = EmploymentStatus.WORKING,
) -> Person:
    return EmploymentFactory(
        unit=school,
        school_year=SchoolYear.of(YEAR),
        status=status,
        difficult_area=difficult,
        person__gender=Gender.FEMALE if women else Gender.MALE,
        person__ethnicity_id=MINORITY_CODE if minority else KINH_CODE,
    ).person


def give_plan(person: Person, school: Unit, status: str = PlanStatus.APPROVED) -> PersonalPlan:
    regime = Regime.objects.order_by("-first_year").first()
    return PersonalPlan.objects.create(
        person=person, unit=school, school_year=SchoolYear.of(YEAR), regime=regime, status=status
    )


def enrol(
    cohort: Cohort, person: Person, school: Unit, *, completed: bool = False, on: date | None = None
) -> Enrolment:
    return Enrolment.objects.create(
        cohort=cohort,
        person=person,
        unit=school,
        school_year=SchoolYear.of(YEAR),
        status=EnrolmentStatus.ENROLLED,
        completed=completed,
        completion_checked_at=datetime(on.year, on.month, on.day, 3, tzinfo=UTC) if on else None,
    )


def give_result(person: Person, school: Unit, *, completed: bool = True) -> YearResult:
    regime = Regime.objects.order_by("-first_year").first()
    assert regime is not None
    return YearResult.objects.create(
        person=person,
        school_year=SchoolYear.of(YEAR),
        unit=school,
        regime=regime,
        category="hoan_thanh" if completed else "khong_hoan_thanh",
        label="Hoàn thành" if completed else "Không hoàn thành",
        completed=completed,
    )


def build_town(world, schools: int = 2, people_per_school: int = 3, tag: str = "") -> Town:  # type: ignore[no-untyped-def]
    """A commune under so_a with `schools` schools; in each, `people_per_school` women of an ethnic
    minority, each with an approved plan, one enrolment (the first completed) and a completed result."""
    commune = unit_create(
        scope=SYSTEM,
        kind=UnitKind.COMMUNE,
        name=f"UBND xã Thử{tag}",
        code=f"01999{tag}",
        parent=world.u("so_a"),
        valid_from=date(2000, 1, 1),
    )
    cohort = Cohort.objects.create(
        school_year=SchoolYear.of(YEAR),
        organiser=commune,
        name="Lớp BD02 xã Thử",
        programme="BD02",
        content_title="Văn hoá địa phương",
        form="tu_xa",
        capacity=1000,
    )
    town = Town(commune=commune, cohort=cohort)
    for i in range(schools):
        school = unit_create(
            scope=SYSTEM,
            kind=UnitKind.SCHOOL,
            name=f"Trường Tiểu học Thử{tag} {i + 1:02d}",
            code=f"TH-T{tag}{i:02d}",
            parent=commune,
            valid_from=date(2000, 1, 1),
            levels=["TH"],
        )
        town.schools.append(school)
        people = []
        for j in range(people_per_school):
            p = add_person(school, women=True, minority=True)
            give_plan(p, school)
            enrol(cohort, p, school, completed=j == 0, on=date(2026, 10, 15) if j == 0 else None)
            give_result(p, school)
            people.append(p)
        town.people[school.code] = people
    return town


@pytest.fixture
def town(world) -> Town:  # type: ignore[no-untyped-def]
    return build_town(world)


__all__ = ["Employment", "Town", "add_person", "build_town", "enrol", "give_plan", "give_result"]
