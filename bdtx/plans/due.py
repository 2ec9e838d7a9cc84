"""What is due next for the signed-in user: their own plan, and the plans of the units they review
(the landing page's card), gathering personal plans, unit plans and deadlines.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import units_holding
from bdtx.people.models import Person
from bdtx.plans.deadlines.selectors import UNIT_PLAN_DEADLINE, EffectiveDeadline, deadline_for
from bdtx.plans.models import (
    DeadlineKind,
    PersonalPlan,
    PlanStatus,
    UnitPlan,
)
from bdtx.plans.personal.selectors import employment_for, personal_plan_counts


@dataclass(frozen=True)
class DueItem:
    """One line of the "due next" card."""

    deadline: EffectiveDeadline
    unit: Unit
    outstanding: int | None = None  # how many are not done yet (None: nothing to count)
    done_on: date | None = None
    done: bool = False
    mine: bool = False  # the viewer's own plan (else the plans of a unit they review)

    @property
    def late(self) -> bool:
        if self.done:
            return self.deadline.is_late(done_on=self.done_on)
        return self.deadline.is_late(done_on=None)


def _unit_plan_due(*, unit: Unit, school_year: SchoolYear, current: SchoolYear, today: date) -> list[DueItem]:
    """The unit's own plan of the year, if it is still due (or was submitted late)."""
    kind = UNIT_PLAN_DEADLINE.get(unit.kind)
    dl = deadline_for(unit=unit, school_year=school_year, kind=kind) if kind else None
    if dl is None or (dl.due_on < today and school_year != current):
        return []
    up = UnitPlan.objects.filter(unit=unit, school_year=school_year).only("status", "submitted_at").first()
    done = up is not None and up.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED) and up.submitted_at is not None
    done_on = timezone.localdate(up.submitted_at) if done and up and up.submitted_at else None
    item = DueItem(deadline=dl, unit=unit, done=done, done_on=done_on)
    return [item] if not done or item.late else []


def due_next(
    *, scope: Scope, person: Person | None, school_year: SchoolYear, today: date | None = None
) -> list[DueItem]:
    """What is due for the viewer: their own personal plan, and for reviewers the personal plans of
    their subtree not yet approved and their unit's own plan, in this school year and the next
    (plans are made before the year they are for). Overdue items first, then the nearest dates;
    things done on time drop out."""
    today = today or timezone.localdate()
    items: list[DueItem] = []
    years = (school_year, school_year.next)
    if person is not None:
        for year in years:
            emp = employment_for(person=person, school_year=year) or (
                employment_for(person=person, school_year=school_year) if year != school_year else None
            )
            if emp is None:
                continue
            dl = deadline_for(unit=emp.unit, school_year=year, kind=DeadlineKind.PERSONAL_PLAN)
            if dl is None:
                continue
            plan = PersonalPlan.objects.filter(person=person, school_year=year).only("status", "decided_at").first()
            done = plan is not None and plan.status == PlanStatus.APPROVED
            done_on = timezone.localdate(plan.decided_at) if done and plan and plan.decided_at else None
            item = DueItem(deadline=dl, unit=emp.unit, done=done, done_on=done_on, mine=True)
            if not done or item.late:
                items.append(item)
    for unit in units_holding(scope=scope, permission=Perm.PLANS_APPROVE):
        for year in years:
            items += _unit_plan_due(unit=unit, school_year=year, current=school_year, today=today)
            dl = deadline_for(unit=unit, school_year=year, kind=DeadlineKind.PERSONAL_PLAN)
            if dl is None or (dl.due_on < today and year != school_year):
                continue
            if unit.kind in (UnitKind.DEPARTMENT, UnitKind.MINISTRY):
                # A province or the nation: the date only (their lists count by school on demand).
                if dl.due_on >= today:
                    items.append(DueItem(deadline=dl, unit=unit))
                continue
            counts = personal_plan_counts(scope=scope, school_year=year, unit=unit)
            outstanding = counts.total - counts.approved
            if outstanding or dl.due_on >= today:
                items.append(DueItem(deadline=dl, unit=unit, outstanding=outstanding if counts.total else None))
    return sorted(items, key=lambda i: (not i.late, i.deadline.due_on))[:6]
