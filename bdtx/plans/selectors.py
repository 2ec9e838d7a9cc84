"""Reads of personal plans and deadlines, always through the viewer's scope.

The rules these pages show (hours per programme, deadlines) are data: the regime of the year, the
province's hours split, the deadlines each authority set and the defaults of the regulation.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bdtx.catalog.models import Module, ProgrammeContent
from bdtx.catalog.selectors import content_for as catalog_content_for
from bdtx.catalog.selectors import focus_modules_for
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import fold
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import units_holding
from bdtx.people.models import Audience, Employment, EmploymentStatus, Person
from bdtx.people.selectors import units_under_in_year
from bdtx.plans.models import (
    Deadline,
    DeadlineDefault,
    DeadlineKind,
    PersonalPlan,
    PlanEvent,
    PlanItem,
    PlanStatus,
    UnitPlan,
)
from bdtx.regimes.models import Programme, Regime
from bdtx.regimes.selectors import hours_for

MISSING = "missing"  # the list's status of a person employed this year who has no plan yet


# --- the tree -------------------------------------------------------------------------------------


def ancestor_ids(path: str) -> list[int]:
    """Ids of the units on a materialised path, the root first: '/1/5/42/' → [1, 5, 42]."""
    return [int(p) for p in path.strip("/").split("/") if p]


def province_of(unit: Unit) -> Unit | None:
    """The Sở above (or at) `unit` in today's tree."""
    return Unit.objects.filter(pk__in=ancestor_ids(unit.path), kind=UnitKind.DEPARTMENT).first()


# --- the person and the rules of their year ----------------------------------------------------------


def employment_for(*, person: Person, school_year: int) -> Employment | None:
    """Where and as what the person works in that school year (None: not on a staff list)."""
    return Employment.objects.filter(person=person, school_year_id=school_year).select_related("unit").first()


def audience_of(employment: Employment) -> str:
    return Audience.for_staff(staff_type=employment.staff_type, school_level=employment.school_level)


@dataclass(frozen=True)
class RequiredHours:
    """Periods a person must plan in one school year, per programme, with where the rule comes from."""

    regime: Regime
    bd01: int
    bd02: int
    bd03: int
    split_by: str = ""  # the province's decision when it shifted periods between 01 and 02

    @property
    def total(self) -> int:
        return self.bd01 + self.bd02 + self.bd03

    def for_programme(self, programme: str) -> int:
        return {"BD01": self.bd01, "BD02": self.bd02, "BD03": self.bd03}[str(programme)]


def required_hours(*, unit: Unit, school_year: int) -> RequiredHours:
    """The regime's periods for the year, with the province's split of 01 and 02 when it made one
    (`bdtx.regimes.selectors.hours_for`); programme 03 never moves. Regime.DoesNotExist when no
    regime covers the year."""
    h = hours_for(unit=unit, school_year=school_year)
    return RequiredHours(h["regime"], h["bd01"], h["bd02"], h["bd03"], h["shift"].decision if h["shift"] else "")


def content_for(*, unit: Unit, school_year: int, audience: str, school_level: str) -> list[ProgrammeContent]:
    """Programme 01 and 02 topics that apply to a person of this audience and level at `unit`."""
    by_programme = catalog_content_for(unit=unit, school_year=school_year, audience=audience, school_level=school_level)
    return [c for p in (Programme.BD01, Programme.BD02) for c in by_programme.get(p, [])]


def focus_modules(
    *, unit: Unit, school_year: int, audience: str, school_level: str
) -> tuple[list[Module], Unit | None]:
    """The focus modules the province above `unit` chose for the year, most wanted first, and the
    province (to name it when explaining a recommendation)."""
    modules = focus_modules_for(unit=unit, school_year=school_year, audience=audience, school_level=school_level)
    return modules, (province_of(unit) if modules else None)


def modules_done_before(*, person: Person, school_year: int) -> set[int]:
    """Ids of the modules the person completed in school years before `school_year`.

    Stand-in until completion records exist (the results issue): a module counts as completed when
    it was in the person's APPROVED personal plan of an earlier school year. Replace this body with
    a read of the completion records; its callers (recommendations, catalog search) stay as they are.
    """
    return set(
        PlanItem.objects.filter(
            plan__person=person,
            plan__school_year_id__lt=school_year,
            plan__status=PlanStatus.APPROVED,
            module__isnull=False,
        ).values_list("module_id", flat=True)
    )


def modules_offered(*, employment: Employment, school_year: int) -> QuerySet[Module]:
    """Modules in force that year for the person's audience and school level (empty levels: every
    level of the audience)."""
    level = employment.school_level
    return (
        Module.objects.in_force(school_year)
        .filter(audience=audience_of(employment))
        .filter(Q(levels="") | Q(levels__contains=f",{level},"))
        .select_related("catalog")
        .prefetch_related("criteria")
    )


def module_search(*, employment: Employment, school_year: int, q: str = "", limit: int = 30) -> list[Module]:
    """Modules the person may choose, matching `q` on code or title without regard to diacritics.

    A catalog holds a few dozen modules per audience, so matching in Python costs nothing and
    keeps 'ung dung cong nghe' finding 'Ứng dụng công nghệ'.
    """
    tokens = fold(q).split()
    found = []
    for m in modules_offered(employment=employment, school_year=school_year):
        text = fold(f"{m.code} {m.title}")
        if all(t in text for t in tokens):
            found.append(m)
            if len(found) >= limit:
                break
    return found


# --- plans ----------------------------------------------------------------------------------------


def plan_for(*, person: Person, school_year: int) -> PersonalPlan | None:
    return (
        PersonalPlan.objects.filter(person=person, school_year_id=school_year)
        .select_related("person", "unit", "regime", "school_year", "decided_by")
        .first()
    )


def plan_get(*, scope: Scope, uuid: str) -> PersonalPlan:
    """One plan the viewer may see: their own, or one in their subtree (DoesNotExist → 404)."""
    return (
        PersonalPlan.objects.visible_to(scope)
        .select_related("person", "unit", "regime", "school_year", "decided_by")
        .get(uuid=uuid)
    )


def plan_items(*, plan: PersonalPlan) -> list[PlanItem]:
    return list(plan.items.select_related("module", "module__catalog", "content").order_by("programme", "pk"))


def plan_events(*, plan: PersonalPlan) -> list[PlanEvent]:
    """The plan's history, oldest first; each step reads with its audit label (`PlanEvent.label`)."""
    return list(plan.events.select_related("actor", "actor__person"))


@dataclass(frozen=True)
class ProgrammeHours:
    programme: str
    label: str
    planned: int
    required: int

    @property
    def ok(self) -> bool:
        return self.planned == self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.planned, 0)


def plan_hours(*, items: list[PlanItem], required: RequiredHours) -> list[ProgrammeHours]:
    """Planned against required periods for each programme."""
    labels = dict(Programme.choices)
    return [
        ProgrammeHours(
            programme=p,
            label=str(labels[p]),
            planned=sum(i.hours for i in items if i.programme == p),
            required=required.for_programme(p),
        )
        for p in Programme.values
    ]


# --- deadlines ------------------------------------------------------------------------------------

# Which units set which deadline: an authority sets dates for the levels below it.
DEADLINE_SETTERS: dict[str, frozenset[str]] = {
    DeadlineKind.PERSONAL_PLAN: frozenset(
        {UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE}
    ),
    DeadlineKind.SCHOOL_PLAN: frozenset({UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE}),
    DeadlineKind.OFFICE_PLAN: frozenset({UnitKind.MINISTRY, UnitKind.DEPARTMENT}),
    DeadlineKind.PROVINCE_PLAN: frozenset({UnitKind.MINISTRY}),
}


def may_set_deadline(unit: Unit, kind: str) -> bool:
    return unit.kind in DEADLINE_SETTERS.get(kind, frozenset())


@dataclass(frozen=True)
class EffectiveDeadline:
    """The date that applies to a unit: the earliest its authorities (or the regulation) set."""

    kind: str
    school_year: int
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


def default_deadline(*, kind: str, school_year: int) -> EffectiveDeadline | None:
    """The regulation's date for `kind` in that school year (None if no default covers the year)."""
    d = DeadlineDefault.objects.filter(kind=kind).in_force(school_year).order_by("-first_year").first()
    if d is None:
        return None
    return EffectiveDeadline(
        kind=kind,
        school_year=school_year,
        due_on=date(school_year + d.year_offset, d.month, d.day),
        set_by=None,
        source=d.source,
    )


class DeadlineIndex:
    """Every deadline row of one kind and year that bears on a part of the tree, to resolve the
    effective date of many units without a query each (a list page of a Sở)."""

    def __init__(self, *, kind: str, school_year: int, rows: list[Deadline], default: EffectiveDeadline | None):
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


def deadline_index(*, kind: str, school_year: int, path: str) -> DeadlineIndex:
    """Deadlines of one kind and year set above `path` or anywhere under it (two queries)."""
    rows = list(
        Deadline.objects.filter(kind=kind, school_year_id=school_year)
        .filter(Q(unit_id__in=ancestor_ids(path)) | Q(pk__in=Deadline.objects.within(path).values("pk")))
        .select_related("unit")
    )
    return DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )


def deadline_index_for_scope(*, scope: Scope, kind: str, school_year: int) -> DeadlineIndex:
    """Deadlines bearing on every subtree of the viewer's scope."""
    paths = scope.paths()
    ancestors = {a for p in paths for a in ancestor_ids(p)}
    rows = list(
        Deadline.objects.filter(kind=kind, school_year_id=school_year)
        .filter(Q(unit_id__in=ancestors) | Q(pk__in=Deadline.objects.within(*paths).values("pk")))
        .select_related("unit")
    )
    return DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )


def deadline_for(*, unit: Unit, school_year: int, kind: str) -> EffectiveDeadline | None:
    """The deadline that applies to `unit`: the earliest among its own and its ancestors' dates for
    that year and kind, the regulation's default counting as the ministry's (None: no rule at all)."""
    rows = list(
        Deadline.objects.filter(
            kind=kind, school_year_id=school_year, unit_id__in=ancestor_ids(unit.path)
        ).select_related("unit")
    )
    index = DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )
    return index.for_path(unit.path)


def deadline_above(*, unit: Unit, school_year: int, kind: str) -> EffectiveDeadline | None:
    """The date `unit`'s authorities impose on it, its own setting left out: the latest date it may set."""
    rows = list(
        Deadline.objects.filter(kind=kind, school_year_id=school_year, unit_id__in=ancestor_ids(unit.path))
        .exclude(unit=unit)
        .select_related("unit")
    )
    index = DeadlineIndex(
        kind=kind, school_year=school_year, rows=rows, default=default_deadline(kind=kind, school_year=school_year)
    )
    if unit.depth == 0:  # the ministry replaces the regulation's default for its year
        return None
    return index.for_path(unit.path)


def deadlines_set_by(*, scope: Scope, school_year: int) -> QuerySet[Deadline]:
    """Deadline rows of the year at units where the viewer manages deadlines."""
    return (
        Deadline.objects.visible_to(scope, Perm.DEADLINES_MANAGE)
        .filter(school_year_id=school_year)
        .select_related("unit")
        .order_by("unit__depth", "unit__name", "due_on")
    )


def deadline_get(*, scope: Scope, uuid: str) -> Deadline:
    """One deadline row the viewer can see (DoesNotExist → 404; the view checks the right to change it)."""
    return Deadline.objects.visible_to(scope).select_related("unit").get(uuid=uuid)


def deadline_units(*, scope: Scope) -> list[Unit]:
    """Units where the viewer may set deadlines: those of their role grants holding the right."""
    return list(units_holding(scope=scope, permission=Perm.DEADLINES_MANAGE))


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


# The deadline a unit's own plan answers to, by the kind of unit.
UNIT_PLAN_DEADLINE: dict[str, str] = {
    UnitKind.SCHOOL: DeadlineKind.SCHOOL_PLAN,
    UnitKind.CENTRE: DeadlineKind.SCHOOL_PLAN,
    UnitKind.DISTRICT: DeadlineKind.OFFICE_PLAN,
    UnitKind.COMMUNE: DeadlineKind.OFFICE_PLAN,
    UnitKind.DEPARTMENT: DeadlineKind.PROVINCE_PLAN,
}


def _unit_plan_due(*, unit: Unit, school_year: int, current: int, today: date) -> list[DueItem]:
    """The unit's own plan of the year, if it is still due (or was submitted late)."""
    kind = UNIT_PLAN_DEADLINE.get(unit.kind)
    dl = deadline_for(unit=unit, school_year=school_year, kind=kind) if kind else None
    if dl is None or (dl.due_on < today and school_year != current):
        return []
    up = UnitPlan.objects.filter(unit=unit, school_year_id=school_year).only("status", "submitted_at").first()
    done = up is not None and up.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED) and up.submitted_at is not None
    done_on = timezone.localdate(up.submitted_at) if done and up and up.submitted_at else None
    item = DueItem(deadline=dl, unit=unit, done=done, done_on=done_on)
    return [item] if not done or item.late else []


def due_next(*, scope: Scope, person: Person | None, school_year: int, today: date | None = None) -> list[DueItem]:
    """What is due for the viewer: their own personal plan, and for reviewers the personal plans of
    their subtree not yet approved and their unit's own plan, in this school year and the next
    (plans are made before the year they are for). Overdue items first, then the nearest dates;
    things done on time drop out."""
    today = today or timezone.localdate()
    items: list[DueItem] = []
    years = (school_year, school_year + 1)
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
            plan = PersonalPlan.objects.filter(person=person, school_year_id=year).only("status", "decided_at").first()
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
            outstanding = counts["total"] - counts[PlanStatus.APPROVED]
            if outstanding or dl.due_on >= today:
                items.append(DueItem(deadline=dl, unit=unit, outstanding=outstanding if counts["total"] else None))
    return sorted(items, key=lambda i: (not i.late, i.deadline.due_on))[:6]


# --- the reviewers' list --------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilter:
    school_year: int
    unit: Unit | None = None
    status: str = ""  # a PlanStatus, or MISSING
    late: bool = False
    q: str = ""


def _plan_rows(*, scope: Scope, school_year: int, unit: Unit | None) -> QuerySet[Any]:
    """Everyone employed in the year under the viewer's PLANS_VIEW subtrees, with their plan joined
    (status `missing` when they have none) and their deadline and lateness computed by the database."""
    index = deadline_index_for_scope(scope=scope, kind=DeadlineKind.PERSONAL_PLAN, school_year=school_year)
    today = timezone.localdate()
    qs = (
        Employment.objects.visible_to(scope, Perm.PLANS_VIEW)
        .filter(school_year_id=school_year)
        .annotate(plan=FilteredRelation("person__plans", condition=Q(person__plans__school_year=F("school_year"))))
        .filter(Q(status=EmploymentStatus.WORKING) | Q(plan__isnull=False))
        .annotate(
            plan_status=Coalesce(F("plan__status"), Value(MISSING)),
            plan_uuid=F("plan__uuid"),
            plan_decided_on=TruncDate("plan__decided_at"),
            plan_submitted_at=F("plan__submitted_at"),
            due_on=index.case("unit__path"),
        )
        .annotate(
            is_late=Case(
                When(Q(plan_status=PlanStatus.APPROVED, plan_decided_on__gt=F("due_on")), then=Value(True)),
                When(Q(~Q(plan_status=PlanStatus.APPROVED), due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=unit, school_year=school_year).values("pk"))
    return qs


def personal_plan_list(*, scope: Scope, f: PlanFilter) -> QuerySet[Any]:
    """One row per person employed in the year: their plan's status (or missing), deadline, lateness."""
    qs = _plan_rows(scope=scope, school_year=f.school_year, unit=f.unit).select_related("person", "unit")
    if f.status:
        qs = qs.filter(plan_status=f.status)
    if f.late:
        qs = qs.filter(is_late=True)
    if f.q:
        for token in fold(f.q).split():
            qs = qs.filter(person__search_text__contains=token)
    return qs.order_by("unit__name", "person__sort_key", "pk")


STATUS_LABELS = {**dict(PlanStatus.choices), MISSING: _("No plan yet")}


def label_statuses(rows: Iterable[Employment]) -> None:
    """Give each row of `personal_plan_list` the label of its status (`.plan_status_label`)."""
    for e in rows:
        e.plan_status_label = STATUS_LABELS.get(e.plan_status, e.plan_status)  # type: ignore[attr-defined]


STATUS_KEYS = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.APPROVED, MISSING]


def _count_fields() -> dict[str, Count]:
    fields = {"total": Count("pk"), "late": Count("pk", filter=Q(is_late=True))}
    for s in STATUS_KEYS:
        fields[str(s)] = Count("pk", filter=Q(plan_status=s))
    return fields


def personal_plan_counts(*, scope: Scope, school_year: int, unit: Unit | None = None) -> dict[str, int]:
    """Counts by status (and late) in one query."""
    return _plan_rows(scope=scope, school_year=school_year, unit=unit).aggregate(**_count_fields())


def personal_plan_by_unit(*, scope: Scope, f: PlanFilter) -> QuerySet:
    """Counts by status per school (dicts), the units with people missing or late first: who has
    not submitted yet, for an office."""
    qs = _plan_rows(scope=scope, school_year=f.school_year, unit=f.unit)
    if f.q:
        qs = qs.filter(unit__search_text__contains=fold(f.q))
    return (
        qs.values("unit_id", "unit__name", "unit__uuid")
        .annotate(**_count_fields())
        .order_by(F("late").desc(), F(MISSING).desc(), "unit__name")
    )
