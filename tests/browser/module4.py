"""The training journeys' common start: approved personal plans holding GDPT 2018 module 4 for some
teachers of th_a1, and a blended 7-2-7 cohort of the Sở of province A for that module, enrolled from
those plans and split into support groups (the world's core teacher of th_a1 leads the group)."""

from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from bdtx.catalog.models import Module
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.organisations.models import Unit
from bdtx.people.models import Person
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.models import Cohort, ScheduleTemplate
from bdtx.training.services import cohort_create, enrolment_bulk_from_plans, groups_split


def module4() -> Module:
    return Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")


def module4_cohort(
    *,
    people: Sequence[Person],
    school: Unit,
    organiser: Unit,
    name: str,
    starts_on: date,
    institution: Unit | None = None,
) -> Cohort:
    module = module4()
    year = school_year_current()
    for person in people:
        plan = PersonalPlan.objects.create(
            person=person,
            unit=school,
            school_year=year,
            regime=Regime.objects.for_year(year),
            status=PlanStatus.APPROVED,
            decided_at=timezone.now(),
        )
        PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=module, title=module.title, hours=40)
    cohort = cohort_create(
        scope=SYSTEM,
        organiser=organiser,
        school_year=year,
        name=name,
        programme=Programme.BD03,
        module=module,
        form="ban_tap_trung",
        capacity=50,
        institution=institution,
        template=ScheduleTemplate.objects.get(code="7-2-7"),
        starts_on=starts_on,
    )
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=cohort)
    groups_split(scope=SYSTEM, cohort=cohort)
    return cohort
