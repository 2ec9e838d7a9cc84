"""The figures of a unit's dashboard for one school year, computed by database aggregates over the
unit's subtree as it stood on the year's last day (the tree of that year: a 2024-2025 dashboard
rolls up through the districts of that year), in a constant number of queries whatever the number of
units or people (`dashboard_figures`: seven queries; tests assert it at two sizes).

Definitions (every count is of the school year asked for):

- people in scope: people employed in the subtree that year, working or on leave (plans'
  `IN_SCOPE_STATUSES`; who left during the year is not in scope), counted at their employment's unit;
- plans submitted: people in scope whose personal plan is submitted or approved (sent up and not
  returned or still a draft); plans approved: whose plan is approved;
- enrolled: people in scope with at least one enrolment in a cohort (status "enrolled": the waiting
  list, withdrawn and moved enrolments do not count);
- completed a module: people in scope with at least one such enrolment completed (the three-way
  completion, `Enrolment.completed`);
- year result completed: people in scope whose year result says they completed the BDTX plan
  (`YearResult.completed`, proposed or recognised or not yet);
- enrolments / completed enrolments and progress: the enrolments of the subtree's learners
  (counted at the enrolment's school, status "enrolled") and how many are completed; progress =
  completed / enrolments, in whole percent;
- by module: the same two counts per module (programme 03) or per content topic (programmes 01/02);
- completion over the year: completed enrolments by the month their completion was last recorded
  (`Enrolment.completion_checked_at`, set when the three-way completion changes: the day the last
  of the three marks arrived, not the later approval of the completion list, which is a paperwork
  date), cumulated over the months of the school year; completions recorded outside the year's
  months are counted in its first or last month; completions with no recorded date (written by a
  bulk fix or an import, not by the completion service) are in no month: the page says how many;
- groups: women (gender F), ethnic minority (an ethnicity other than Kinh, `KINH_CODE`; people
  without one recorded are not counted as minority), ethnic-minority women, difficult area (the
  post's own value, else its unit's: `difficult_area_q`).

Small group cells are hidden for viewers who do not see sensitive data (`bdtx.core.suppression`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.suppression import (
    DIFFICULT,
    GROUPS,
    MINORITY,
    MINORITY_WOMEN,
    WOMEN,
    Cell,
    percent,
    suppress_columns,
    suppress_row,
)
from bdtx.dashboards.models import UnitEnrolments, UnitPeople
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import (
    ancestors_where,
    child_on_path,
    highest_unit_where,
    in_tree_on_q,
    unit_children_on,
    unit_path_on,
    units_under_path_on,
)
from bdtx.people.models import KINH_CODE, Employment, Gender, difficult_area_q
from bdtx.plans.models import PersonalPlan, PlanStatus
from bdtx.plans.unit.selectors import IN_SCOPE_STATUSES, school_year_months
from bdtx.results.models import YearResult
from bdtx.summaries.models import RefreshJob
from bdtx.summaries.services import ensure_fresh
from bdtx.training.models import Enrolment, EnrolmentStatus

SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)

IN_SCOPE = "in_scope"
PLANS_SUBMITTED = "plans_submitted"
PLANS_APPROVED = "plans_approved"
ENROLLED = "enrolled"
COMPLETED = "completed"
RESULTS_COMPLETED = "results_completed"
MEASURES = (IN_SCOPE, PLANS_SUBMITTED, PLANS_APPROVED, ENROLLED, COMPLETED, RESULTS_COMPLETED)
ALL = "all"


def _group_q() -> dict[str, Q]:
    """Conditions on an Employment row for each group ("all": everyone)."""
    women = Q(person__gender=Gender.FEMALE)
    minority = Q(person__ethnicity__isnull=False) & ~Q(person__ethnicity_id=KINH_CODE)
    return {ALL: Q(), WOMEN: women, MINORITY: minority, MINORITY_WOMEN: women & minority, DIFFICULT: difficult_area_q()}


def _measure_q(school_year: SchoolYear) -> dict[str, Q]:
    """Conditions on an Employment row (a person in scope) for each measure, on the relations
    `_with_year_rows` joins: the person's plan and year result of the year (one each at most, so
    plain joins the database can do by index for a province or by hash for the nation) and their
    active enrolments (EXISTS, by the index on the person)."""
    person = OuterRef("person_id")
    enrolments = Enrolment.objects.filter(person=person, school_year=school_year, status=EnrolmentStatus.ENROLLED)
    return {
        IN_SCOPE: Q(),
        PLANS_SUBMITTED: Q(plan_of_year__status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED]),
        PLANS_APPROVED: Q(plan_of_year__status=PlanStatus.APPROVED),
        ENROLLED: Q(Exists(enrolments)),
        COMPLETED: Q(Exists(enrolments.filter(completed=True))),
        RESULTS_COMPLETED: Q(result_of_year__completed=True),
    }


def _with_year_rows(staff: QuerySet[Employment], school_year: SchoolYear) -> QuerySet[Employment]:
    """The person's plan and year result of `school_year` joined to each employment (LEFT JOINs)."""
    return staff.alias(
        plan_of_year=FilteredRelation("person__plans", condition=Q(person__plans__school_year=school_year)),
        result_of_year=FilteredRelation(
            "person__year_results", condition=Q(person__year_results__school_year=school_year)
        ),
    )


@dataclass
class Row:
    """The measures of one unit (or of the whole subtree), each broken down by group."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {m: dict.fromkeys((ALL, *GROUPS), 0) for m in MEASURES}
    )
    enrolments: int = 0
    enrolments_completed: int = 0

    def add(self, other: "Row") -> None:
        for m in MEASURES:
            for g in (ALL, *GROUPS):
                self.counts[m][g] += other.counts[m][g]
        self.enrolments += other.enrolments
        self.enrolments_completed += other.enrolments_completed

    def total(self, measure: str) -> int:
        return self.counts[measure][ALL]

    @property
    def progress(self) -> Cell:
        return percent(Cell(self.enrolments_completed), Cell(self.enrolments))


@dataclass(frozen=True)
class ModuleRow:
    programme: str
    code: str
    title: str
    enrolments: int
    completed: int

    @property
    def progress(self) -> Cell:
        return percent(Cell(self.completed), Cell(self.enrolments))


@dataclass(frozen=True)
class MonthPoint:
    key: str  # 'YYYY-MM'
    label: str  # 'MM/YYYY'
    completed: int
    cumulative: int


@dataclass
class Figures:
    """Everything a dashboard shows, before any suppression: the subtree's total, one row per child
    unit of that year (keyed by unit id; 0 for the unit's own staff), modules and months."""

    unit_id: int
    school_year_id: int
    total: Row
    children: dict[int, Row]
    modules: list[ModuleRow]
    months: list[MonthPoint]
    undated_completions: int = 0  # completed enrolments with no recorded date: in no month


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def summarise(school_year_id: int, unit_ids: Sequence[int]) -> None:
    """Write the dashboards' summary rows (`models`) of these units for the year again: the people
    in scope at each grouped by their groups and measures, and the enrolments at each by module,
    completion and month. Each person's traits and measures are computed once, in the SELECT list,
    and the rows grouped by them (a measure's EXISTS runs once per person)."""
    school_year = SchoolYear.objects.get(pk=school_year_id)
    UnitPeople.objects.filter(school_year=school_year, unit_id__in=unit_ids).delete()
    UnitEnrolments.objects.filter(school_year=school_year, unit_id__in=unit_ids).delete()
    flags = {f"g_{g}": _flag(q) for g, q in _group_q().items() if g != ALL}
    flags |= {f"m_{m}": _flag(q) for m, q in _measure_q(school_year).items() if m != IN_SCOPE}
    staff = (
        _with_year_rows(
            Employment.objects.filter(unit_id__in=unit_ids, school_year=school_year, status__in=IN_SCOPE_STATUSES),
            school_year,
        )
        .annotate(**flags)
        .values("unit_id", *flags)
        .annotate(n=Count("pk"))
        .order_by()
    )
    UnitPeople.objects.bulk_create(
        [UnitPeople(school_year=school_year, **{k: bool(v) if k in flags else v for k, v in r.items()}) for r in staff],
        batch_size=1000,
    )
    month = TruncMonth("completion_checked_at", tzinfo=timezone.get_current_timezone(), output_field=DateField())
    enrolments = (
        Enrolment.objects.filter(unit_id__in=unit_ids, school_year=school_year, status=EnrolmentStatus.ENROLLED)
        .annotate(done_month=Case(When(completed=True, then=month), default=None, output_field=DateField()))
        .values("unit_id", "cohort__programme", "module_id", "cohort__content_title", "completed", "done_month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    UnitEnrolments.objects.bulk_create(
        [
            UnitEnrolments(
                school_year=school_year,
                unit_id=r["unit_id"],
                programme=r["cohort__programme"],
                module_id=r["module_id"],
                content_title=r["cohort__content_title"],
                completed=r["completed"],
                month=r["done_month"],
                n=r["n"],
            )
            for r in enrolments
        ],
        batch_size=1000,
    )


def _rows_by_child(prefix: str, day: date, school_year: SchoolYear) -> dict[int, Row]:
    """The people's rows and the enrolments of the subtree's units' summaries, summed per child of
    the unit at `prefix` (at most children × 2^9 rows)."""
    flags = [f"g_{g}" for g in GROUPS] + [f"m_{m}" for m in MEASURES if m != IN_SCOPE]
    staff = (
        UnitPeople.objects.filter(in_tree_on_q(prefix, day), school_year=school_year)
        .annotate(child=child_on_path(prefix))
        .values("child", *flags)
        .annotate(total=Sum("n"))
        .order_by()
    )
    rows: dict[int, Row] = {}
    for r in staff:
        row = rows.setdefault(int(r["child"] or 0), Row())
        in_groups = [ALL, *(g for g in GROUPS if r[f"g_{g}"])]
        for m in MEASURES:
            if m == IN_SCOPE or r[f"m_{m}"]:
                for g in in_groups:
                    row.counts[m][g] += r["total"]
    enrolments = (
        UnitEnrolments.objects.filter(in_tree_on_q(prefix, day), school_year=school_year)
        .annotate(child=child_on_path(prefix))
        .values("child")
        .annotate(total=Sum("n"), done=Sum("n", filter=Q(completed=True)))
        .order_by()
    )
    for r in enrolments:
        row = rows.setdefault(int(r["child"] or 0), Row())
        row.enrolments, row.enrolments_completed = r["total"], r["done"] or 0
    return rows


def _modules(prefix: str, day: date, school_year: SchoolYear) -> list[ModuleRow]:
    rows = (
        UnitEnrolments.objects.filter(in_tree_on_q(prefix, day), school_year=school_year)
        .values("programme", "module__code", "module__title", "content_title")
        .annotate(total=Sum("n"), done=Sum("n", filter=Q(completed=True)))
        .order_by("programme", "module__code", "content_title")
    )
    return [
        ModuleRow(
            programme=r["programme"],
            code=r["module__code"] or "",
            title=r["module__title"] or r["content_title"],
            enrolments=r["total"],
            completed=r["done"] or 0,
        )
        for r in rows
    ]


def _months(prefix: str, day: date, school_year: SchoolYear) -> tuple[list[MonthPoint], int]:
    """The completions by month of the school year, and how many have no recorded date."""
    done = (
        UnitEnrolments.objects.filter(in_tree_on_q(prefix, day), school_year=school_year, completed=True)
        .values("month")
        .annotate(total=Sum("n"))
        .order_by()
    )
    months = school_year_months(school_year)
    keys = [f"{m:%Y-%m}" for m in months]
    per_month = dict.fromkeys(keys, 0)
    undated = 0
    for r in done:
        if r["month"] is None:
            undated += r["total"]
            continue
        key = min(max(f"{r['month']:%Y-%m}", keys[0]), keys[-1])
        per_month[key] += r["total"]
    points, running = [], 0
    for m, key in zip(months, keys, strict=True):
        running += per_month[key]
        points.append(MonthPoint(key=key, label=f"{m:%m/%Y}", completed=per_month[key], cumulative=running))
    return points, undated


def dashboard_figures(*, unit: Unit, school_year: SchoolYear, wait: bool = False) -> Figures | RefreshJob:
    """The unit's figures for the year (see the module's docstring), summed from the summaries of the
    units under it in that year's tree: eight queries when none of them changed since their summaries
    were computed; the changed ones are recomputed first (here when few, or any number with `wait`;
    else the background job doing it is returned, for the page to show its progress)."""
    day = school_year.ends_on
    prefix = unit_path_on(unit=unit, day=day)
    if prefix is None:
        return Figures(unit.pk, school_year.pk, Row(), {}, [], _empty_months(school_year))
    units = units_under_path_on(prefix=prefix, day=day)
    job = ensure_fresh(unit=unit, school_year=school_year, units=units, wait=wait)
    if job is not None:
        return job
    children = _rows_by_child(prefix, day, school_year)
    total = Row()
    for row in children.values():
        total.add(row)
    months, undated = _months(prefix, day, school_year)
    return Figures(
        unit_id=unit.pk,
        school_year_id=school_year.pk,
        total=total,
        children=children,
        modules=_modules(prefix, day, school_year),
        months=months,
        undated_completions=undated,
    )


def _empty_months(school_year: SchoolYear) -> list[MonthPoint]:
    return [MonthPoint(f"{m:%Y-%m}", f"{m:%m/%Y}", 0, 0) for m in school_year_months(school_year)]


# --- what the page shows -----------------------------------------------------------------------


@dataclass
class ShownRow:
    """A row as shown: the measures' totals and the group cells after suppression."""

    unit: Unit | None  # None: the subtree's total (or the unit's own staff, in `own`)
    row: Row
    groups: dict[str, Cell]  # people in scope by group

    @property
    def progress(self) -> Cell:
        return self.row.progress

    @property
    def progress_text(self) -> str:
        p = self.row.progress
        return f"{p.value}%" if p.value is not None else p.mark


@dataclass(frozen=True)
class GroupLine:
    """One measure of the subtree by group: the cells and their share of the group in scope."""

    measure: str
    total: int
    cells: dict[str, Cell]
    shares: dict[str, Cell]


@dataclass
class Dashboard:
    unit: Unit
    school_year: SchoolYear
    is_school: bool
    suppressed: bool
    figures: Figures
    rows: list[ShownRow]  # the children units, by name
    own: ShownRow | None  # the unit's own staff (an office's), if any
    total: ShownRow
    by_group: list[GroupLine]
    ancestors: list[Unit]


def _shown_groups(row: Row, measure: str, suppress: bool) -> dict[str, Cell]:
    return suppress_row(row.total(measure), {g: row.counts[measure][g] for g in GROUPS}, suppress=suppress)


def dashboard_get(*, scope: Scope, unit: Unit, school_year: SchoolYear, figures: Figures) -> Dashboard:
    """The dashboard of `unit` as this viewer may see it: small group cells hidden unless the viewer
    sees sensitive data over the unit; the children of that year by name; the ancestors the viewer
    may open (for the way back up). Two queries."""
    suppress = not scope.sees_sensitive(unit.path)
    is_school = unit.kind in SCHOOL_KINDS
    units = {u.pk: u for u in unit_children_on(unit=unit, day=school_year.ends_on)} if not is_school else {}
    # every child of that year, a unit with nobody counted too (but no training institution, and no
    # unit dissolved by the year's end unless someone is counted there)
    shown_ids = [
        pk
        for pk, u in units.items()
        if pk in figures.children
        or (u.kind != UnitKind.INSTITUTION and not (u.dissolved_on and u.dissolved_on <= school_year.ends_on))
    ]
    rows = []
    for pk in shown_ids:
        row = figures.children.get(pk) or Row()
        rows.append(ShownRow(units[pk], row, _shown_groups(row, IN_SCOPE, suppress)))
    rows.sort(key=lambda r: (r.unit.kind, r.unit.name) if r.unit else ("", ""))
    own_row = figures.children.get(0) if not is_school else None
    own = ShownRow(None, own_row, _shown_groups(own_row, IN_SCOPE, suppress)) if own_row else None
    total = ShownRow(None, figures.total, _shown_groups(figures.total, IN_SCOPE, suppress))
    suppress_columns([r.groups for r in rows] + ([own.groups] if own else []), total.groups, suppress=suppress)
    by_group = []
    in_scope = _shown_groups(figures.total, IN_SCOPE, suppress)
    for m in MEASURES:
        cells = in_scope if m == IN_SCOPE else _shown_groups(figures.total, m, suppress)
        by_group.append(
            GroupLine(
                measure=m,
                total=figures.total.total(m),
                cells=cells,
                shares={g: percent(cells[g], in_scope[g]) for g in GROUPS},
            )
        )
    ancestors = ancestors_where(scope=scope, unit=unit, perm=Perm.REPORTS_VIEW)
    return Dashboard(
        unit=unit,
        school_year=school_year,
        is_school=is_school,
        suppressed=suppress,
        figures=figures,
        rows=rows,
        own=own,
        total=total,
        by_group=by_group,
        ancestors=ancestors,
    )


def dashboard_unit_get(*, scope: Scope, uuid: str) -> Unit:
    """A unit the viewer sees (Unit.DoesNotExist → 404 outside the scope)."""
    return Unit.objects.visible_to(scope).get(uuid=uuid)


def dashboard_home_unit(*, scope: Scope) -> Unit | None:
    """The highest unit where the viewer may see dashboards: where their dashboard opens."""
    return highest_unit_where(scope=scope, perm=Perm.REPORTS_VIEW)


def school_people(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> QuerySet[Employment]:
    """The people in scope at a school that year, by name, with their plan's status, their enrolments
    and completed ones, and their year result (subqueries: one query a page)."""
    person = OuterRef("person_id")
    enrolments = (
        Enrolment.objects.filter(person=person, school_year=school_year, status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("person")
    )
    return (
        Employment.objects.filter(unit=unit, school_year=school_year, status__in=IN_SCOPE_STATUSES)
        .select_related("person")
        .annotate(
            plan_status=Subquery(
                PersonalPlan.objects.filter(person=person, school_year=school_year).values("status")[:1]
            ),
            n_enrolments=Coalesce(Subquery(enrolments.annotate(n=Count("pk")).values("n")[:1]), 0),
            n_completed=Coalesce(
                Subquery(enrolments.filter(completed=True).annotate(n=Count("pk")).values("n")[:1]), 0
            ),
            result_label=Subquery(
                YearResult.objects.filter(person=person, school_year=school_year).values("label")[:1]
            ),
        )
        .order_by("person__sort_key", "pk")
    )
