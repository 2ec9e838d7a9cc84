"""Reads of unit plans: the tree of a year, figures compiled from approved personal plans or
children's plans, the status board, who may act.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise

from bdtx.core.models import SchoolYear
from bdtx.core.numbers import whole_percent
from bdtx.core.scope import Perm, Scope
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import (
    ancestors_where,
    child_on_path,
    highest_unit_where,
    in_tree_on_q,
    parent_on,
    unit_children_on,
    unit_path_on,
    units_under_on,
)
from bdtx.people.models import KINH_CODE, Employment, EmploymentStatus, Position, StaffType, difficult_area_q
from bdtx.plans.deadlines.selectors import deadline_due, deadline_resolver, is_late
from bdtx.plans.models import (
    DeadlineKind,
    Form,
    PersonalPlan,
    PlanItem,
    PlanStatus,
    UnitPlan,
)
from bdtx.plans.unit.figures import (
    CONTENT,
    FROM_CHILDREN,
    FROM_PERSONAL_PLANS,
    MODULE,
    Figures,
    Headcount,
    MonthTally,
    PlanLine,
    Tally,
    UnitCounts,
    UnitPlanFigures,
)
from bdtx.regimes.models import Programme

SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)


# Staff who left during the year are not in scope of the year's plan.
IN_SCOPE_STATUSES = (EmploymentStatus.WORKING, EmploymentStatus.LEAVE)


# Which deadline applies to a unit's own plan, by the unit's kind.
DEADLINE_KIND_OF_UNIT: dict[str, str] = {
    UnitKind.SCHOOL: DeadlineKind.SCHOOL_PLAN,
    UnitKind.CENTRE: DeadlineKind.SCHOOL_PLAN,
    UnitKind.DISTRICT: DeadlineKind.OFFICE_PLAN,
    UnitKind.COMMUNE: DeadlineKind.OFFICE_PLAN,
    UnitKind.DEPARTMENT: DeadlineKind.PROVINCE_PLAN,
}


MISSING = "missing"  # board status of a child without a unit plan


def is_school_like(unit: Unit) -> bool:
    return unit.kind in SCHOOL_KINDS


def school_year_months(school_year: SchoolYear) -> list[date]:
    """First day of each month of the school year (July to June by default)."""
    months, day = [], school_year.starts_on.replace(day=1)
    while day <= school_year.ends_on:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_key(day: date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def parent_in_year(*, unit: Unit, school_year: SchoolYear) -> Unit | None:
    """The unit a plan of that year is submitted to: the parent in force on the year's last day."""
    return parent_on(unit=unit, day=school_year.ends_on)


def children_in_year(*, unit: Unit, school_year: SchoolYear) -> QuerySet[Unit]:
    """Units whose plans `unit` receives that year: its children on the year's last day, without
    training institutions and units dissolved by then."""
    return (
        unit_children_on(unit=unit, day=school_year.ends_on)
        .exclude(kind=UnitKind.INSTITUTION)
        .exclude(dissolved_on__lte=school_year.ends_on)
        .order_by("kind", "name")
    )


def _staff_counts(qs: QuerySet, staff_type_field: str, distinct_field: str) -> Headcount:
    r = qs.aggregate(
        total=Count(distinct_field, distinct=True),
        teachers=Count(distinct_field, distinct=True, filter=Q(**{staff_type_field: StaffType.TEACHER})),
        managers=Count(distinct_field, distinct=True, filter=Q(**{staff_type_field: StaffType.MANAGER})),
    )
    return Headcount(total=r["total"], teachers=r["teachers"], managers=r["managers"])


def plan_in_difficult_area_q() -> Q:
    """Plan items (through `plan`) of people whose post is in a difficult area that school year: their
    employment's own value, else its unit's (`difficult_area_q`); without an employment that year,
    the plan's unit. A condition with subqueries, so a breakdown stays one grouped query."""
    post = Employment.objects.filter(person=OuterRef("plan__person"), school_year=OuterRef("plan__school_year"))
    return Q(Exists(post.filter(difficult_area_q()))) | (~Q(Exists(post)) & Q(plan__unit__difficult_area=True))


def approved_items(*, unit_ids: Iterable[int] | QuerySet, school_year: SchoolYear) -> QuerySet[PlanItem]:
    return PlanItem.objects.filter(
        plan__unit__in=unit_ids, plan__school_year=school_year, plan__status=PlanStatus.APPROVED
    )


def _line_key(row: Mapping[str, Any]) -> str:
    if row["module__uuid"]:
        return f"m:{row['module__uuid']}"
    if row["content__uuid"]:
        return f"c:{row['content__uuid']}"
    return f"t:{row['programme']}:{row['title']}"


def figures_from_personal_plans(*, unit: Unit, school_year: SchoolYear) -> UnitPlanFigures:
    """A school's figures from its approved personal plans, in a fixed number of grouped queries."""
    staff = _staff_counts(
        Employment.objects.filter(unit=unit, school_year=school_year, status__in=IN_SCOPE_STATUSES),
        "staff_type",
        "person_id",
    )
    plans = PersonalPlan.objects.filter(unit=unit, school_year=school_year, status=PlanStatus.APPROVED)
    planned = plans.aggregate(
        total=Count("pk", distinct=True),
        teachers=Count(
            "pk",
            distinct=True,
            filter=Q(person__employments__school_year=school_year, person__employments__staff_type=StaffType.TEACHER),
        ),
        managers=Count(
            "pk",
            distinct=True,
            filter=Q(person__employments__school_year=school_year, person__employments__staff_type=StaffType.MANAGER),
        ),
    )
    items = approved_items(unit_ids=[unit.pk], school_year=school_year)

    programmes = {
        r["programme"]: Tally(people=r["people"], items=r["items"], periods=r["periods"] or 0)
        for r in items.values("programme")
        .annotate(people=Count("plan", distinct=True), items=Count("pk"), periods=Sum("hours"))
        .order_by()
    }

    line_fields = (
        "programme",
        "module__uuid",
        "module__code",
        "module__title",
        "module__catalog__code",
        "content__uuid",
        "title",
    )
    lines: dict[str, PlanLine] = {}
    rows = (
        items.values(*line_fields)
        .annotate(
            people=Count("plan", distinct=True),
            periods=Sum("hours"),
            hours=Max("hours"),
            female=Count("plan", distinct=True, filter=Q(plan__person__gender="F")),
            minority=Count(
                "plan",
                distinct=True,
                filter=Q(plan__person__ethnicity__isnull=False) & ~Q(plan__person__ethnicity_id=KINH_CODE),
            ),
            difficult=Count("plan", distinct=True, filter=plan_in_difficult_area_q()),
            first=Min(Coalesce("start_month", "end_month")),
            last=Max(Coalesce("end_month", "start_month")),
        )
        .order_by()
    )
    for r in rows:
        line = PlanLine(
            programme=r["programme"],
            kind=MODULE if r["module__uuid"] else CONTENT,
            code=r["module__code"] or "",
            catalog=r["module__catalog__code"] or "",
            title=r["module__title"] or r["title"],
            hours=r["hours"] or 0,
            people=r["people"],
            periods=r["periods"] or 0,
            female=r["female"],
            minority=r["minority"],
            difficult=r["difficult"],
            first_month=month_key(r["first"]),
            last_month=month_key(r["last"]),
        )
        key = _line_key(r)
        lines[key] = lines[key] + line if key in lines else line
    forms_of_line: dict[str, dict[str, int]] = {}
    for r in (
        items.values("programme", "module__uuid", "content__uuid", "title", "form")
        .annotate(people=Count("plan", distinct=True))
        .order_by()
    ):
        forms = forms_of_line.setdefault(_line_key(r), {})
        forms[r["form"]] = forms.get(r["form"], 0) + r["people"]

    forms_total = {
        r["form"]: Tally(people=r["people"], items=r["items"], periods=r["periods"] or 0)
        for r in items.values("form")
        .annotate(people=Count("plan", distinct=True), items=Count("pk"), periods=Sum("hours"))
        .order_by()
    }

    months = school_year_months(school_year)
    dated = items.alias(first=Coalesce("start_month", "end_month"), last=Coalesce("end_month", "start_month"))
    month_aggs: dict[str, Any] = {"unscheduled": Count("pk", filter=Q(first__isnull=True))}
    for i, m in enumerate(months):
        overlaps = Q(first__lt=_next_month(m), last__gte=m)
        month_aggs[f"p{i}"] = Count("plan", distinct=True, filter=overlaps)
        month_aggs[f"i{i}"] = Count("pk", filter=overlaps)
    agg = dated.aggregate(**month_aggs)

    return UnitPlanFigures(
        source=FROM_PERSONAL_PLANS,
        year=school_year.pk,
        schools=1,
        staff=staff,
        planned=Headcount(total=planned["total"], teachers=planned["teachers"], managers=planned["managers"]),
        programmes=programmes,
        lines={key: replace(line, forms=forms_of_line.get(key, {})) for key, line in lines.items()},
        forms=forms_total,
        months={month_key(m): MonthTally(people=agg[f"p{i}"], items=agg[f"i{i}"]) for i, m in enumerate(months)},
        unscheduled=agg["unscheduled"],
    )


def empty_figures(school_year: SchoolYear) -> Figures:
    """Nothing counted, with every month of the school year."""
    return Figures.empty(month_key(m) for m in school_year_months(school_year))


def figures_from_children(*, unit: Unit, school_year: SchoolYear) -> UnitPlanFigures:
    """An office's, province's or the ministry's figures: the sum of its children's approved unit
    plans; the submitted ones (not yet decided) are summed apart under `pending`."""
    children = children_in_year(unit=unit, school_year=school_year)
    plans = list(
        UnitPlan.objects.filter(unit__in=children, school_year=school_year).only("status", "totals", "unit_id")
    )
    figures = [(p.status, p.figures) for p in plans]
    approved = sum((f for status, f in figures if status == PlanStatus.APPROVED), empty_figures(school_year))
    submitted = sum((f for status, f in figures if status == PlanStatus.SUBMITTED), empty_figures(school_year))
    return UnitPlanFigures.of(
        approved,
        source=FROM_CHILDREN,
        year=school_year.pk,
        units=UnitCounts.of(total=children.count(), by_status=Counter(p.status for p in plans)),
        pending=submitted,
    )


def unit_plan_figures(*, unit: Unit, school_year: SchoolYear) -> UnitPlanFigures:
    """The figures a compile of `unit`'s plan would store now."""
    if is_school_like(unit):
        return figures_from_personal_plans(unit=unit, school_year=school_year)
    return figures_from_children(unit=unit, school_year=school_year)


def unit_plan_is_stale(plan: UnitPlan) -> bool:
    """True when the approved figures below changed since the plan was compiled."""
    if plan.compiled_at is None:
        return True
    fresh = unit_plan_figures(unit=plan.unit, school_year=plan.school_year)
    return fresh.core != plan.figures.core


def unit_plan_get(*, scope: Scope, uuid: str) -> UnitPlan:
    """One unit plan the scope may see (UnitPlan.DoesNotExist → 404)."""
    return (
        UnitPlan.objects.visible_to(scope)
        .select_related("unit", "unit__parent", "school_year", "decided_by")
        .get(uuid=uuid)
    )


def unit_plan_find(*, unit: Unit, school_year: SchoolYear) -> UnitPlan | None:
    return UnitPlan.objects.filter(unit=unit, school_year=school_year).select_related("decided_by").first()


def unit_plan_events(plan: UnitPlan) -> list[Any]:
    return list(plan.events.select_related("actor"))


@dataclass
class BoardRow:
    unit: Unit
    plan: UnitPlan | None
    status: str
    due: date | None
    late: bool
    has_children: bool
    live: "LiveCoverage | None" = None

    @cached_property
    def figures(self) -> UnitPlanFigures | None:
        return self.plan.figures if self.plan else None

    @property
    def overdue(self) -> bool:
        """Not sent up and the date has passed: someone must act."""
        return self.late and self.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED)

    @property
    def sent_late(self) -> bool:
        """Sent up, but after the date: done, only late."""
        return self.late and not self.overdue


@dataclass
class Board:
    unit: Unit
    school_year: SchoolYear
    own: UnitPlan | None
    own_due: date | None
    parent: Unit | None
    rows: list[BoardRow]
    counts: UnitCounts
    total: int
    late: int
    status_filter: str = ""
    ancestors: list[Unit] = field(default_factory=list)


def board_counts(*, children: QuerySet[Unit], school_year: SchoolYear) -> UnitCounts:
    """Children per plan status, counted by the database; 'missing' = without a unit plan."""
    by_status = {
        r["status"]: r["n"]
        for r in UnitPlan.objects.filter(unit__in=children, school_year=school_year)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return UnitCounts.of(total=children.count(), by_status=by_status)


def board_get(*, scope: Scope, unit: Unit, school_year: SchoolYear, status: str = "") -> Board:
    """The status board of `unit` for a year: each child's plan status, late flags and counts.

    A fixed number of queries whatever the number of children. `unit` must be visible.
    """
    children = children_in_year(unit=unit, school_year=school_year)
    units = list(children)
    plans = {
        p.unit_id: p
        for p in UnitPlan.objects.filter(unit__in=children, school_year=school_year).only(
            "uuid", "unit_id", "status", "totals", "submitted_at", "decided_at", "compiled_at", "comment"
        )
    }
    resolvers = {
        str(kind): deadline_resolver(unit=unit, school_year=school_year, kind=str(kind))
        for kind in {DEADLINE_KIND_OF_UNIT.get(u.kind) for u in units} - {None}
    }
    today = timezone.localdate()
    coverage = live_coverage(unit=unit, school_year=school_year)
    rows = []
    for u in units:
        plan = plans.get(u.pk)
        st = plan.status if plan else MISSING
        kind = DEADLINE_KIND_OF_UNIT.get(u.kind)
        due = resolvers[str(kind)](u) if kind else None
        late = is_late(status=st, submitted_at=plan.submitted_at if plan else None, due=due, today=today)
        rows.append(BoardRow(u, plan, st, due, late, has_children=not is_school_like(u), live=coverage.get(u.pk)))
    counts = board_counts(children=children, school_year=school_year)
    own_kind = DEADLINE_KIND_OF_UNIT.get(unit.kind)
    ancestors = ancestors_where(scope=scope, unit=unit, perm=Perm.PLANS_VIEW)
    board = Board(
        unit=unit,
        school_year=school_year,
        own=unit_plan_find(unit=unit, school_year=school_year),
        own_due=deadline_due(unit=unit, school_year=school_year, kind=str(own_kind)) if own_kind else None,
        parent=parent_in_year(unit=unit, school_year=school_year),
        rows=[r for r in rows if not status or r.status == status or (status == "late" and r.late)],
        counts=counts,
        total=len(rows),
        late=sum(r.late for r in rows),
        status_filter=status,
        ancestors=ancestors,
    )
    return board


def board_default_unit(*, scope: Scope) -> Unit | None:
    """The highest unit where the viewer may see plans: where their board opens."""
    return highest_unit_where(scope=scope, perm=Perm.PLANS_VIEW)


def principal_of(*, unit: Unit, school_year: SchoolYear) -> Any:
    """The head of the unit that year from the staff list (principal, or a centre's director)."""
    e = (
        Employment.objects.filter(
            unit=unit, school_year=school_year, position__in=[Position.PRINCIPAL, Position.DIRECTOR]
        )
        .select_related("person")
        .order_by("person__sort_key")
        .first()
    )
    return e.person if e else None


def participants(*, unit: Unit, school_year: SchoolYear, module_uuid: str = "") -> QuerySet[PlanItem]:
    """Programme 03 items of the approved personal plans under `unit` (the tree of that year),
    one row per person and module, with the person's job that year; sorted by module, then name."""
    units = units_under_on(unit=unit, day=school_year.ends_on)
    job = Employment.objects.filter(person=OuterRef("plan__person"), school_year=school_year)
    qs = (
        approved_items(unit_ids=units.values("pk"), school_year=school_year)
        .filter(programme=Programme.BD03, module__isnull=False)
        .select_related("plan__person__ethnicity", "plan__unit", "module")
        .annotate(
            job_position=Subquery(job.values("position")[:1]),
            job_level=Subquery(job.values("school_level")[:1]),
            # the post's own value, else its unit's, else (no employment that year) the plan's unit's
            job_difficult=Coalesce(
                Subquery(job.values(value=Coalesce("difficult_area", "unit__difficult_area"))[:1]),
                "plan__unit__difficult_area",
            ),
        )
        .order_by("module__catalog__code", "module__code", "plan__unit__name", "plan__person__sort_key", "pk")
    )
    if module_uuid:
        qs = qs.filter(module__uuid=module_uuid)
    return qs


def may_act_for(*, scope: Scope, unit: Unit, perm: str = Perm.PLANS_APPROVE) -> bool:
    """Compiling and submitting a unit's plan is for the unit's own staff (a role held at it); a
    report up the tree passes its own permission (`perm`)."""
    return scope.holds_at(perm, unit)


def may_decide(*, scope: Scope, parent: Unit | None, perm: str = Perm.PLANS_APPROVE) -> bool:
    """Approving or returning a plan is for the authority it is submitted to (or one above it); a
    report up the tree passes its own permission (`perm`)."""
    return parent is not None and scope.has(perm, parent.path)


def _month_label(key: str) -> str:
    """'2026-09' → '09/2026'."""
    return f"{key[5:7]}/{key[:4]}" if key else ""


@dataclass(frozen=True)
class FormPeople:
    """The people who take a plan line in one form."""

    code: str
    label: str | Promise
    people: int


@dataclass(frozen=True)
class LineView:
    """A plan line as shown: a module (with its uuid, for its participant list) or content."""

    key: str
    module_uuid: str
    code: str
    title: str
    hours: int
    people: int
    female: int
    minority: int
    difficult: int
    from_label: str  # '09/2026'; empty when no month is planned
    to_label: str
    form_list: list[FormPeople]


@dataclass(frozen=True)
class ProgrammeView:
    code: str
    label: str | Promise
    people: int
    items: int
    periods: int
    lines: list[LineView]


@dataclass(frozen=True)
class FormView:
    code: str
    label: str | Promise
    people: int
    items: int
    periods: int


@dataclass(frozen=True)
class MonthView:
    key: str  # 'YYYY-MM'
    label: str  # 'MM/YYYY'
    people: int
    items: int
    pct: int  # the bar's width: people against the busiest month


@dataclass(frozen=True)
class FiguresView:
    """A plan's compiled figures arranged for its page and its .docx."""

    programmes: list[ProgrammeView]
    forms: list[FormView]
    months: list[MonthView]
    staff: Headcount
    planned: Headcount
    schools: int
    unscheduled: int
    units: UnitCounts | None
    pending: Figures | None
    source: str


def _line_view(key: str, line: PlanLine, form_labels: Mapping[str, str | Promise]) -> LineView:
    return LineView(
        key=key,
        module_uuid=key[2:] if key.startswith("m:") else "",
        code=line.code,
        title=line.title,
        hours=line.hours,
        people=line.people,
        female=line.female,
        minority=line.minority,
        difficult=line.difficult,
        from_label=_month_label(line.first_month),
        to_label=_month_label(line.last_month),
        form_list=[FormPeople(f, form_labels[f], line.forms[f]) for f in Form.values if line.forms.get(f)],
    )


def figures_view(figures: UnitPlanFigures) -> FiguresView:
    """Compiled figures arranged for display: programmes with their lines (modules by code,
    content by title), forms and months in a fixed order, months with a bar width."""
    form_labels: dict[str, str | Promise] = dict(Form.choices)
    programme_labels: dict[str, str | Promise] = dict(Programme.choices)
    lines_by_programme: dict[str, list[tuple[str, PlanLine]]] = {}
    for key, line in figures.lines.items():
        lines_by_programme.setdefault(line.programme, []).append((key, line))
    programmes = []
    for code in Programme.values:
        tally = figures.programmes.get(code)
        lines = sorted(
            lines_by_programme.get(code, []),
            key=lambda kl: (kl[1].kind != MODULE, kl[1].catalog, kl[1].code, kl[1].title),
        )
        if tally or lines:
            tally = tally or Tally()
            programmes.append(
                ProgrammeView(
                    code=code,
                    label=programme_labels[code],
                    people=tally.people,
                    items=tally.items,
                    periods=tally.periods,
                    lines=[_line_view(key, line, form_labels) for key, line in lines],
                )
            )
    peak = max((m.people for m in figures.months.values()), default=0) or 1
    return FiguresView(
        programmes=programmes,
        forms=[
            FormView(code=f, label=form_labels[f], people=t.people, items=t.items, periods=t.periods)
            for f in Form.values
            if (t := figures.forms.get(f)) is not None
        ],
        months=[
            MonthView(key=k, label=_month_label(k), people=m.people, items=m.items, pct=whole_percent(m.people, peak))
            for k, m in figures.months.items()
        ],
        staff=figures.staff,
        planned=figures.planned,
        schools=figures.schools,
        unscheduled=figures.unscheduled,
        units=figures.units,
        pending=figures.pending,
        source=figures.source,
    )


@dataclass(frozen=True)
class LiveCoverage:
    """People in scope under a unit this year and how many of them have an approved personal plan,
    as they stand now (a unit plan's figures are those of the day it was compiled)."""

    approved: int
    in_scope: int

    @property
    def percent(self) -> int:
        return whole_percent(self.approved, self.in_scope)


def live_coverage(*, unit: Unit, school_year: SchoolYear) -> dict[int, LiveCoverage]:
    """For each unit under `unit` in the year's tree, its subtree's people in scope and approved
    personal plans: two grouped queries whatever the number of units (the ministry's board compares
    its provinces with it; a commune's, its schools)."""
    day = school_year.ends_on
    prefix = unit_path_on(unit=unit, day=day)
    if prefix is None:
        return {}
    in_tree = in_tree_on_q(prefix, day, below_only=True)
    segment = child_on_path(prefix)
    staff = (
        Employment.objects.filter(in_tree, school_year=school_year, status__in=IN_SCOPE_STATUSES)
        .annotate(child=segment)
        .values("child")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    approved = (
        PersonalPlan.objects.filter(in_tree, school_year=school_year, status=PlanStatus.APPROVED)
        .annotate(child=segment)
        .values("child")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    people = {int(r["child"]): r["n"] for r in staff if r["child"]}
    plans = {int(r["child"]): r["n"] for r in approved if r["child"]}
    return {pk: LiveCoverage(approved=plans.get(pk, 0), in_scope=n) for pk, n in people.items()}
