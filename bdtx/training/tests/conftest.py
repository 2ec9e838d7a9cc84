"""Fixtures of the training tests: a test module for general-school teachers, one for managers, and
approved personal plans holding them."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.utils import timezone

from bdtx.catalog.models import Catalog, Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.organisations.models import Unit
from bdtx.people.models import Audience, Person, StaffType
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.models import Cohort, ScheduleTemplate
from bdtx.training.services import cohort_create

YEAR = 2026  # the current school year of the test world


@dataclass
class Mods:
    gv: Module
    ql: Module
    mn: Module
    year: SchoolYear
    plans: dict[int, PersonalPlan] = field(default_factory=dict)


@pytest.fixture
def mods(world) -> Mods:  # type: ignore[no-untyped-def]
    cat = Catalog.objects.create(
        code="TEST-TR", name="Danh mục thử", circular="TT thử", audience=Audience.GVPT, first_year=2020
    )
    return Mods(
        gv=Module.objects.create(catalog=cat, code="GV4", title="Mô đun thử 4", audience=Audience.GVPT, hours_total=40),
        ql=Module.objects.create(
            catalog=cat, code="QL4", title="Mô đun thử QL 4", audience=Audience.QLPT, hours_total=40
        ),
        mn=Module.objects.create(
            catalog=cat, code="MN4", title="Mô đun thử MN 4", audience=Audience.GVMN, hours_total=20
        ),
        year=SchoolYear.of(YEAR),
    )


def approve(
    person: Person, unit: Unit, *modules: Module, year: int = YEAR, status: str = PlanStatus.APPROVED
) -> PersonalPlan:
    """An approved personal plan of `person` at `unit` holding the modules."""
    sy = SchoolYear.of(year)
    plan = PersonalPlan.objects.create(
        person=person,
        unit=unit,
        school_year=sy,
        regime=Regime.objects.for_year(sy),
        status=status,
        decided_at=timezone.now() if status == PlanStatus.APPROVED else None,
    )
    for m in modules:
        PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=m, title=m.title, hours=40)
    return plan


def staff(
    unit: Unit, n: int, *, staff_type: str = StaffType.TEACHER, level: str = "TH", mentor: bool = False
) -> list[Person]:
    return [
        EmploymentFactory(unit=unit, staff_type=staff_type, school_level=level, is_mentor=mentor).person
        for _ in range(n)
    ]


def cohort(
    world, mods: Mods, *, organiser: str = "so_a", capacity: int = 100, module: Module | None = None, **kw
) -> Cohort:  # type: ignore[no-untyped-def]
    return cohort_create(
        scope=SYSTEM,
        organiser=world.u(organiser),
        school_year=mods.year,
        name=kw.pop("name", "Lớp mô đun 4"),
        programme=Programme.BD03,
        module=module or mods.gv,
        form=kw.pop("form", "ban_tap_trung"),
        capacity=capacity,
        template=kw.pop("template", ScheduleTemplate.objects.get(code="7-2-7")),
        starts_on=kw.pop("starts_on", date(2026, 12, 1)),
        **kw,
    )


__all__ = ["YEAR", "Mods", "approve", "cohort", "staff"]
