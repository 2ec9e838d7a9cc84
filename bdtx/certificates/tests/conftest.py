"""Recognised results built directly (the results app's workflow is not needed to issue): a person
employed at a school, an approved plan with a few items, and a recognised Hoàn thành."""

from itertools import count

import pytest
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.organisations.models import Unit
from bdtx.people.models import Person
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.results.models import ResultStatus, YearResult

YEAR = 2025
_n = count(1)


def recognised(
    person: Person, unit: Unit, *, by: Unit, year: int = YEAR, completed: bool = True, label: str = "Hoàn thành"
) -> YearResult:
    """A recognised result of `person` at `unit`, recognised by `by` (the issuer), with a plan of three items."""
    school_year = SchoolYear.objects.get(pk=year)
    regime = Regime.objects.order_by("-first_year").first()
    assert regime is not None
    plan = PersonalPlan.objects.create(
        person=person, unit=unit, school_year=school_year, regime=regime, status=PlanStatus.APPROVED
    )
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan, programme=Programme.BD01, title="Chương trình bồi dưỡng 01 — chính trị, chính sách", hours=40
            ),
            PlanItem(
                plan=plan, programme=Programme.BD02, title="Chương trình bồi dưỡng 02 — nhiệm vụ địa phương", hours=40
            ),
            PlanItem(plan=plan, programme=Programme.BD03, title="Mô đun GVPT 04: Xây dựng kế hoạch dạy học", hours=40),
        ]
    )
    return YearResult.objects.create(
        person=person,
        school_year=school_year,
        unit=unit,
        plan=plan,
        regime=regime,
        category="hoan_thanh" if completed else "khong_hoan_thanh",
        label=label if completed else "Không hoàn thành",
        completed=completed,
        status=ResultStatus.RECOGNISED,
        recognised_at=timezone.now(),
        recognised_unit=by,
    )


def teachers(unit: Unit, n: int, *, by: Unit, year: int = YEAR) -> list[YearResult]:
    """`n` new teachers of `unit`, each with a recognised Hoàn thành."""
    out = []
    for _ in range(n):
        i = next(_n)
        person = EmploymentFactory(
            unit=unit, person__family_name="Đặng", person__middle_name="Văn", person__given_name=f"Giáo{i}"
        ).person
        out.append(recognised(person, unit, by=by, year=year))
    return out


@pytest.fixture
def year() -> SchoolYear:
    return SchoolYear.objects.get(pk=YEAR)
