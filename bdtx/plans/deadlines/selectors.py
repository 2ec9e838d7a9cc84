"""Reads of deadlines: the regulation's defaults and the dates each authority set for its subtree.

The date that applies to a unit is the earliest of its own and its ancestors' (a unit may only set
an earlier date than the authorities above it).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    DateField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_ids
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import units_holding
from bdtx.plans.models import (
    Deadline,
    DeadlineDefault,
    DeadlineKind,
    PlanStatus,
)

# Which units set which deadline: an authority sets dates for the levels below it.
DEADLINE_SETTERS: dict[str, frozenset[str]] = {
    DeadlineKind.PERSONAL_PLAN: frozenset(
        {UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE}
    ),
    DeadlineKind.SCHOOL_PLAN: frozenset({UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE}),
    DeadlineKind.OFFICE_PLAN: frozenset({UnitKind.MINISTRY, UnitKind.DEPARTMENT}),
    DeadlineKind.PROVINCE_PLAN: frozenset({UnitKind.MINISTRY}),
    DeadlineKind.SCHOOL_RESULTS: frozenset(
        {UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE}
    ),
    DeadlineKind.OFFICE_RESULTS: frozenset({UnitKind.MINISTRY, UnitKind.DEPARTMENT}),
    DeadlineKind.PROVINCE_RESULTS: frozenset({UnitKind.MINISTRY}),
}

# The deadline a unit's own plan answers to, by the kind of unit.
UNIT_PLAN_DEADLINE: dict[str, str] = {
    UnitKind.SCHOOL: DeadlineKind.SCHOOL_PLAN,
    UnitKind.CENTRE: DeadlineKind.SCHOOL_PLAN,
    UnitKind.DISTRICT: DeadlineKind.OFFICE_PLAN,
    UnitKind.COMMUNE: DeadlineKind.OFFICE_PLAN,
    UnitKind.DEPARTMENT: DeadlineKind.PROVINCE_PLAN,
}


def may_set_deadline(unit: Unit, kind: str) -> bool:
    return unit.kind in DEADLINE_SETTERS.get(kind, frozenset())


@dataclass(frozen=True)
class EffectiveDeadline:
    """The date that applies to a unit: the earliest its authorities (or the regulation) set."""

    kind: str
    school_year: SchoolYear
    due_on: date
    set_by: Unit | None  # None: the regulation's default
    source: str
    path: str = "/"  # the subtree the date was set for

    @property
    def kind_label(self) -> str:
        return str(DeadlineKind(self.kind).label)

    @property
    def overdue(self) -> bool:
        """The date has passed (for something not done yet)."""
        return timezone.localdate() > self.due_on

    def is_late(self, *, done_on: date | None, today: date | None = None) -> bool:
        """Done after the date, or not done and the date has passed."""
        if done_on is not None:
            return done_on > self.due_on
        return (today or timezone.localdate()) > self.due_on


def default_deadline(*, kind: str, school_year: SchoolYear) -> EffectiveDeadline | None:
    """The regulation's date for `kind` in that school year (None if no default covers the year)."""
    d = DeadlineDefault.objects.filter(kind=kind).in_force(school_year).order_by("-first_year").first()
    if d is None:
        return None
    return EffectiveDeadline(
        kind=kind,
        school_year=school_year,
        due_on=date(school_year.start_year + d.year_offset, d.month, d.day),
        set_by=None,
        source=d.source,
    )


class DeadlineIndex:
    """Every deadline row of one kind and year that bears on a part of the tree, to resolve the
    effective date of many units without a query each (a list page of a Sở)."""

    def __init__(self, *, kind: str, school_year: SchoolYear, rows: list[Deadline], default: EffectiveDeadline | None):
        self.kind = kind
        self.school_year = school_year
        entries = [
            EffectiveDeadline(kind, school_year, r.due_on, r.unit, r.source, r.unit.path)
            for r in rows
            if r.unit.dissolved_on is None
        ]
        # The regulation's default counts as the ministry's date until the ministry sets its own.
        if default is not None and not any(e.set_by is not None and e.set_by.depth == 0 for e in entries):
            entries.append(default)
        # Earliest first; on equal dates the most specific authority names the date.
        self.entries = sorted(entries, key=lambda e: (e.due_on, -len(e.path)))

    def for_path(self, path: str, *, exclude_path: str | None = None) -> EffectiveDeadline | None:
        for e in self.entries:
            if path.startswith(e.path) and e.path != exclude_path:
                return e
        return None

    def case(self, path_field: str = "unit__path") -> Case | Value:
        """SQL expression: the effective date for each row's unit path (first match is earliest)."""
        whens = [When(**{f"{path_field}__startswith": e.path}, then=Value(e.due_on)) for e in self.entries]
        if not whens:
            return Value(None, output_field=DateField())
        return Case(*whens, default=Value(None), output_field=DateField())


def deadline_index(*, kind: str, school_year: SchoolYear, path: str) -> DeadlineIndex:
    """Deadlines of one kind and year set above `path` or anywhere under it (two queries)."""
    rows = list(
        Deadline.objects.filter(kind=kind, school_year=school_year)
        .filter(Q(unit_id__in=ancestor_ids(path)) | Q(pk__in=Deadline.objects.within(path).values("pk")))
        .select_related("unit")
    )
    return DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )


def deadline_index_for_scope(*, scope: Scope, kind: str, school_year: SchoolYear) -> DeadlineIndex:
    """Deadlines bearing on every subtree of the viewer's scope."""
    paths = scope.paths()
    ancestors = {a for p in paths for a in ancestor_ids(p)}
    rows = list(
        Deadline.objects.filter(kind=kind, school_year=school_year)
        .filter(Q(unit_id__in=ancestors) | Q(pk__in=Deadline.objects.within(*paths).values("pk")))
        .select_related("unit")
    )
    return DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )


def deadline_for(*, unit: Unit, school_year: SchoolYear, kind: str) -> EffectiveDeadline | None:
    """The deadline that applies to `unit`: the earliest among its own and its ancestors' dates for
    that year and kind, the regulation's default counting as the ministry's (None: no rule at all)."""
    rows = list(
        Deadline.objects.filter(kind=kind, school_year=school_year, unit_id__in=ancestor_ids(unit.path)).select_related(
            "unit"
        )
    )
    index = DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )
    return index.for_path(unit.path)


def deadline_above(*, unit: Unit, school_year: SchoolYear, kind: str) -> EffectiveDeadline | None:
    """The date `unit`'s authorities impose on it, its own setting left out: the latest date it may set."""
    rows = list(
        Deadline.objects.filter(kind=kind, school_year=school_year, unit_id__in=ancestor_ids(unit.path))
        .exclude(unit=unit)
        .select_related("unit")
    )
    index = DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )
    if unit.depth == 0:  # the ministry replaces the regulation's default for its year
        return None
    return index.for_path(unit.path)


def deadlines_set_by(*, scope: Scope, school_year: SchoolYear) -> QuerySet[Deadline]:
    """Deadline rows of the year at units where the viewer manages deadlines."""
    return (
        Deadline.objects.visible_to(scope, Perm.DEADLINES_MANAGE)
        .filter(school_year=school_year)
        .select_related("unit")
        .order_by("unit__depth", "unit__name", "due_on")
    )


def deadline_get(*, scope: Scope, uuid: str) -> Deadline:
    """One deadline row the viewer can see (DoesNotExist → 404; the view checks the right to change it)."""
    return Deadline.objects.visible_to(scope).select_related("unit").get(uuid=uuid)


def deadline_units(*, scope: Scope) -> list[Unit]:
    """Units where the viewer may set deadlines: those of their role grants holding the right."""
    return list(units_holding(scope=scope, permission=Perm.DEADLINES_MANAGE))


def deadline_resolver(*, unit: Unit, school_year: SchoolYear, kind: str) -> Callable[[Unit], date | None]:
    """A function giving the date of `kind` that applies to `unit` or any unit under it (the
    earliest its authorities, or the regulation, set for that year), from a fixed number of queries."""
    index = deadline_index(kind=kind, school_year=school_year, path=unit.path)

    def resolve(u: Unit) -> date | None:
        found = index.for_path(u.path)
        return found.due_on if found else None

    return resolve


def deadline_due(*, unit: Unit, school_year: SchoolYear, kind: str) -> date | None:
    return deadline_resolver(unit=unit, school_year=school_year, kind=kind)(unit)


def is_late(
    *,
    status: str,
    submitted_at: Any,
    due: date | None,
    today: date | None = None,
    sent: tuple[str, ...] = (PlanStatus.SUBMITTED, PlanStatus.APPROVED),
) -> bool:
    """Submitted after the date, or still not submitted once it has passed (`sent`: the statuses
    of something sent up — a plan's by default, a report passes its own)."""
    if due is None:
        return False
    if status in sent and submitted_at is not None:
        return timezone.localdate(submitted_at) > due
    return (today or timezone.localdate()) > due
