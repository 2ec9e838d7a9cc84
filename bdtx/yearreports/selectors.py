"""Reads of the yearly results report: the live figures of a unit's subtree (definitions in
`figures`), the report rows, the status board of a level's children, who may act.
"""

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.numbers import whole_percent
from bdtx.core.scope import Perm, Scope
from bdtx.core.suppression import GROUPS, Cell, suppress_children, suppress_row
from bdtx.core.text import vn_text_key
from bdtx.organisations.models import Ownership, SchoolLevel, Unit, UnitKind
from bdtx.organisations.selectors import (
    ancestors_where,
    child_on_path,
    highest_unit_where,
    in_tree_on_q,
    unit_path_on,
    units_under_on,
    units_under_path_on,
)
from bdtx.people.models import StaffType
from bdtx.plans.deadlines.selectors import deadline_due, deadline_resolver, is_late
from bdtx.plans.models import DeadlineKind
from bdtx.plans.unit.selectors import (
    SCHOOL_KINDS,
    children_in_year,
    may_act_for,
    parent_in_year,
)
from bdtx.regimes.models import Programme
from bdtx.summaries.models import RefreshJob
from bdtx.summaries.services import ensure_fresh
from bdtx.yearreports.figures import (
    Groups,
    ModuleParticipation,
    Outcome,
    Participation,
    ReportFigures,
    cell_key,
    cell_parts,
)
from bdtx.yearreports.models import ReportStatus, UnitFigures, YearReport

MISSING = "missing"  # board status of a child that has filed nothing

# Which deadline applies to a unit's own results report, by the unit's kind.
DEADLINE_KIND_OF_UNIT: dict[str, str] = {
    UnitKind.SCHOOL: DeadlineKind.SCHOOL_RESULTS,
    UnitKind.CENTRE: DeadlineKind.SCHOOL_RESULTS,
    UnitKind.DISTRICT: DeadlineKind.OFFICE_RESULTS,
    UnitKind.COMMUNE: DeadlineKind.OFFICE_RESULTS,
    UnitKind.DEPARTMENT: DeadlineKind.PROVINCE_RESULTS,
}

SENT = (ReportStatus.FILED, ReportStatus.ACCEPTED)  # what a level above sums


def _groups(n: int, woman: object, minority: object, difficult: object) -> Groups:
    """`n` people sharing the same three traits (the database gives booleans as 0/1 on SQLite)."""
    return Groups.of_person(n=n, woman=bool(woman), minority=bool(minority), difficult=bool(difficult))


def _summed_rows(*, schools: QuerySet[Unit], school_year: SchoolYear) -> list[tuple[Any, ...]]:
    """The summaries of `schools` (`summary`) added up: (kind, code, level, ownership, w, m, d, r, n)."""
    return list(
        UnitFigures.objects.filter(school_year=school_year, unit__in=schools)
        .values("kind", "code", "level", "ownership", "w", "m", "d", "r")
        .annotate(total=Sum("n"))
        .values_list("kind", "code", "level", "ownership", "w", "m", "d", "r", "total")
        .order_by()
    )


def live_figures_or_job(*, unit: Unit, school_year: SchoolYear, wait: bool = False) -> ReportFigures | RefreshJob:
    """Today's figures of `unit`'s subtree for the year (definitions in `yearreports.figures`), or,
    when the data of many schools changed since their summaries were computed (more than
    `settings.SUMMARIES_INLINE_LIMIT`; never with `wait`), the background job computing them (the
    page shows its progress).

    The sum of the subtree's schools' summaries: the schools of the year's tree; the changed ones
    recomputed (`summaries.services.ensure_fresh`); their rows added up in one grouped query; the
    titles of the modules in them. Four queries when nothing changed, whatever the size.
    """
    schools = units_under_on(unit=unit, day=school_year.ends_on).filter(kind__in=SCHOOL_KINDS)
    job = ensure_fresh(unit=unit, school_year=school_year, units=schools, wait=wait)
    if job is not None:
        return job
    rows = _summed_rows(schools=schools, school_year=school_year)
    cells: dict[str, Outcome] = {}
    took: dict[str, Participation] = {}
    by_module: dict[int, Participation] = {}
    for kind, code, level, ownership, w, m, d, done, n in rows:
        groups = _groups(n, w, m, d)
        if kind == "cell":
            outcome = Outcome(
                people=groups,
                completed=groups if done == 1 else Groups(),
                not_completed=groups if done == 0 else Groups(),
            )
            key = cell_key(code, level, ownership)
            cells[key] = cells[key] + outcome if key in cells else outcome
            continue
        part = Participation(enrolled=groups, completed=groups if done else Groups())
        if kind == "programme":
            took[code] = took[code] + part if code in took else part
        else:
            module_id = int(code)
            by_module[module_id] = by_module[module_id] + part if module_id in by_module else part
    modules: dict[str, ModuleParticipation] = {}
    for module in (
        Module.objects.filter(pk__in=by_module).select_related("catalog").only("uuid", "code", "title", "catalog__code")
    ):
        part = by_module[module.pk]
        modules[str(module.uuid)] = ModuleParticipation(
            enrolled=part.enrolled,
            completed=part.completed,
            catalog=module.catalog.code or "",
            code=module.code or "",
            title=module.title or "",
        )
    return ReportFigures(cells=cells, programmes=took, modules=modules)


def live_figures(*, unit: Unit, school_year: SchoolYear) -> ReportFigures:
    """Today's figures of `unit`'s subtree for the year, every changed school recomputed here
    whatever their number (filing, documents, the benchmark: what must not wait for a job)."""
    figures = live_figures_or_job(unit=unit, school_year=school_year, wait=True)
    assert isinstance(figures, ReportFigures)
    return figures


@dataclass(frozen=True)
class ChildrenSum:
    """What a level with units below would file now: the sum of its children's filed or accepted
    reports, and how many of its children that leaves out."""

    figures: ReportFigures
    total: int
    included: int

    @property
    def missing(self) -> int:
        return self.total - self.included


def children_sum(*, unit: Unit, school_year: SchoolYear) -> ChildrenSum:
    """The sum of the filed and accepted reports of `unit`'s children in that year's tree (two queries)."""
    children = children_in_year(unit=unit, school_year=school_year)
    snapshots = list(
        YearReport.objects.filter(unit__in=children, school_year=school_year, status__in=SENT).values_list(
            "snapshot", flat=True
        )
    )
    return ChildrenSum(
        figures=ReportFigures.total_of(ReportFigures.from_json(s) for s in snapshots),
        total=children.count(),
        included=len(snapshots),
    )


def report_find(*, unit: Unit, school_year: SchoolYear) -> YearReport | None:
    return (
        YearReport.objects.filter(unit=unit, school_year=school_year)
        .select_related("unit", "school_year", "filed_by", "decided_by")
        .first()
    )


def report_events(report: YearReport | None) -> list[Any]:
    return list(report.events.select_related("actor")) if report else []


def may_file(*, scope: Scope, unit: Unit) -> bool:
    """Filing a unit's report is for its own staff (`reports.file` held at the unit)."""
    return may_act_for(scope=scope, unit=unit, perm=Perm.REPORTS_FILE)


def may_decide_report(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> bool:
    """Accepting or returning `unit`'s report is for the unit it is filed to — its parent in that
    year's tree — alone: `reports.decide` held AT the parent. Reports go up one level at a time
    (school → office → Sở → Bộ) and the parent's own report sums the reports it received, so an
    authority above (the ministry on a commune's report to the Sở) does not decide them; it decides
    the report filed to it. (Plans differ: an authority above may approve, `plans.unit.selectors.may_decide`.)"""
    parent = parent_in_year(unit=unit, school_year=school_year)
    return parent is not None and scope.holds_at(Perm.REPORTS_DECIDE, parent)


def due_of(*, unit: Unit, school_year: SchoolYear) -> date | None:
    """The date `unit`'s own report is due (None: no authority set one, and no default)."""
    kind = DEADLINE_KIND_OF_UNIT.get(unit.kind)
    return deadline_due(unit=unit, school_year=school_year, kind=kind) if kind else None


def report_is_late(report: YearReport | None, due: date | None, today: date | None = None) -> bool:
    return is_late(
        status=report.status if report else MISSING,
        submitted_at=report.filed_at if report else None,
        due=due,
        today=today,
        sent=SENT,
    )


@dataclass(frozen=True)
class DiffRow:
    """One line of the snapshot against today: a label and the five groups of each."""

    label: str
    filed: Groups
    today: Groups
    suppress: bool = False  # the viewer does not see sensitive data

    @property
    def change(self) -> Groups:
        return self.today - self.filed

    @property
    def change_cells(self) -> list[Cell]:
        """The four groups' changes as shown: a change of 1 to 4 people either way, or one that
        would give such a change away by subtraction, is hidden as the group cells are."""
        change = self.change
        values = dict(zip(GROUPS, change.as_list()[1:], strict=True))
        marks = suppress_row(abs(change.total), {g: abs(v) for g, v in values.items()}, suppress=self.suppress)
        return [marks[g] if marks[g].hidden else Cell(values[g]) for g in GROUPS]

    @property
    def changed(self) -> bool:
        return self.filed != self.today


@dataclass
class BoardRow:
    unit: Unit
    report: YearReport | None
    status: str
    due: date | None
    late: bool
    live_people: int = 0
    live_completed: int = 0

    @property
    def figures(self) -> ReportFigures | None:
        return self.report.figures if self.report and self.report.status != ReportStatus.DRAFT else None

    @property
    def overdue(self) -> bool:
        """Not filed and the date has passed: someone must act."""
        return self.late and self.status not in SENT


@dataclass
class Board:
    unit: Unit
    school_year: SchoolYear
    own: YearReport | None
    own_due: date | None
    parent: Unit | None
    rows: list[BoardRow]
    counts: dict[str, int]
    total: int
    late: int
    status_filter: str = ""
    ancestors: list[Unit] = field(default_factory=list)
    job: RefreshJob | None = None  # computing today's figures in the background


def live_by_child(*, unit: Unit, school_year: SchoolYear) -> dict[int, tuple[int, int]] | RefreshJob:
    """For each child of `unit` in the year's tree: (people, completed) of its subtree today, in one
    grouped query over the schools' summaries (the board shows them next to the children that filed
    nothing); or the background job computing the summaries, when many schools changed."""
    day = school_year.ends_on
    prefix = unit_path_on(unit=unit, day=day)
    if prefix is None:
        return {}
    schools = units_under_path_on(prefix=prefix, day=day).filter(kind__in=SCHOOL_KINDS)
    job = ensure_fresh(unit=unit, school_year=school_year, units=schools)
    if job is not None:
        return job
    rows = (
        UnitFigures.objects.filter(
            in_tree_on_q(prefix, day, below_only=True),
            school_year=school_year,
            kind="cell",
            unit__kind__in=SCHOOL_KINDS,
        )
        .annotate(child=child_on_path(prefix))
        .values("child")
        .annotate(people=Sum("n"), done=Sum("n", filter=Q(r=1)))
        .order_by()
    )
    return {int(r["child"]): (r["people"], r["done"] or 0) for r in rows if r["child"]}


def board_get(*, scope: Scope, unit: Unit, school_year: SchoolYear, status: str = "") -> Board:
    """The status board of `unit`'s children for a year: each child's report status, late flags,
    counts, and today's people and completers of those that filed nothing. A fixed number of queries."""
    children = children_in_year(unit=unit, school_year=school_year)
    units = sorted(children, key=lambda u: (u.kind, vn_text_key(u.name)))
    reports = {
        r.unit_id: r
        for r in YearReport.objects.filter(unit__in=children, school_year=school_year).only(
            "uuid", "unit_id", "status", "snapshot", "filed_at", "decided_at", "comment"
        )
    }
    resolvers = {
        kind: deadline_resolver(unit=unit, school_year=school_year, kind=kind)
        for kind in {DEADLINE_KIND_OF_UNIT.get(u.kind) for u in units} - {None}
        if kind
    }
    computed = live_by_child(unit=unit, school_year=school_year)
    job = computed if isinstance(computed, RefreshJob) else None
    live = computed if isinstance(computed, dict) else {}
    today = timezone.localdate()
    rows = []
    for u in units:
        report = reports.get(u.pk)
        st = report.status if report and report.status != ReportStatus.DRAFT else MISSING
        kind = DEADLINE_KIND_OF_UNIT.get(u.kind)
        due = resolvers[kind](u) if kind else None
        people, completed = live.get(u.pk, (0, 0))
        rows.append(
            BoardRow(
                u, report, st, due, report_is_late(report, due, today), live_people=people, live_completed=completed
            )
        )
    counts = Counter(r.status for r in rows)
    ancestors = ancestors_where(scope=scope, unit=unit, perm=Perm.REPORTS_VIEW)
    return Board(
        unit=unit,
        school_year=school_year,
        own=report_find(unit=unit, school_year=school_year),
        own_due=due_of(unit=unit, school_year=school_year),
        parent=parent_in_year(unit=unit, school_year=school_year),
        rows=[r for r in rows if not status or r.status == status or (status == "late" and r.late)],
        counts={s: counts.get(s, 0) for s in (*SENT, ReportStatus.RETURNED, MISSING)},
        total=len(rows),
        late=sum(r.late for r in rows),
        status_filter=status,
        ancestors=ancestors,
        job=job,
    )


def board_default_unit(*, scope: Scope) -> Unit | None:
    """The highest unit where the viewer may see reports: where their board opens."""
    return highest_unit_where(scope=scope, perm=Perm.REPORTS_VIEW)


def figures_to_file(*, unit: Unit, school_year: SchoolYear) -> ReportFigures:
    """What filing `unit`'s report would store now: a school's live figures, a level's sum of its
    children's filed and accepted reports."""
    if unit.kind in SCHOOL_KINDS:
        return replace(live_figures(unit=unit, school_year=school_year), reports=1)  # one school's report
    return children_sum(unit=unit, school_year=school_year).figures


# --- the figures arranged for the page, the .xlsx and the .docx ---------------------------------


# Group cells are shown through `bdtx.core.suppression`: `suppress` is True for a viewer who does not
# see sensitive data at the unit (the module's docstring says why and how).

COLUMNS = ("total", *GROUPS)  # the order of Groups.as_list()
OUTCOME_MEASURES = ("people", "completed", "not_completed", "no_result")
PART_MEASURES = ("enrolled", "completed", "not_completed")
Cells = dict[str, dict[str, Cell]]  # measure → column ("total" or a group) → the cell as shown


def group_cells(figure: Groups, *, suppress: bool) -> dict[str, Cell]:
    """A figure's total and its four group cells as shown (rules 1 and 2 of the suppression)."""
    groups = suppress_row(figure.total, dict(zip(GROUPS, figure.as_list()[1:], strict=True)), suppress=suppress)
    return {"total": Cell(figure.total), **groups}


def _cells_of(of: object, measures: tuple[str, ...], suppress: bool) -> Cells:
    return {m: group_cells(getattr(of, m), suppress=suppress) for m in measures}


@dataclass(frozen=True)
class OutcomeRow:
    label: str
    outcome: Outcome
    level: int = 0  # 0 the total, 1 a staff type, 2 a school level × ownership under it
    cells: Cells = field(default_factory=dict, compare=False)  # as shown; every figure when empty

    @property
    def percent(self) -> int:
        people = self.outcome.people.total
        return whole_percent(self.outcome.completed.total, people)

    def shown(self, measure: str) -> list[Cell]:
        """A measure's five cells (total first) as the viewer may see them."""
        cells = self.cells.get(measure) or group_cells(getattr(self.outcome, measure), suppress=False)
        return [cells[c] for c in COLUMNS]

    @property
    def people_cells(self) -> list[Cell]:
        return self.shown("people")


@dataclass(frozen=True)
class PartRow:
    label: str
    part: Participation
    code: str = ""
    cells: Cells = field(default_factory=dict, compare=False)  # as shown; every figure when empty

    @property
    def percent(self) -> int:
        n = self.part.enrolled.total
        return whole_percent(self.part.completed.total, n)

    def shown(self, measure: str) -> list[Cell]:
        """A measure's five cells (total first) as the viewer may see them."""
        cells = self.cells.get(measure) or group_cells(getattr(self.part, measure), suppress=False)
        return [cells[c] for c in COLUMNS]

    @property
    def enrolled_cells(self) -> list[Cell]:
        return self.shown("enrolled")

    @property
    def completed_cells(self) -> list[Cell]:
        return self.shown("completed")


def outcome_rows(figures: ReportFigures, *, suppress: bool = False) -> list[OutcomeRow]:
    """The total, then each staff type with its school levels × ownership under it; with `suppress`,
    the group cells as a viewer who does not see sensitive data may see them (each row, and each
    level's rows against the row they add up to)."""
    staff_labels = dict(StaffType.choices)
    level_labels = dict(SchoolLevel.choices)
    own_labels = dict(Ownership.choices)

    def row(label: str, outcome: Outcome, level: int) -> OutcomeRow:
        return OutcomeRow(label, outcome, level, _cells_of(outcome, OUTCOME_MEASURES, suppress))

    total = row(str(_("All staff")), figures.overall, 0)
    rows = [total]
    staff_rows: list[tuple[OutcomeRow, list[OutcomeRow]]] = []
    for staff_type in StaffType.values:
        cells = {k: v for k, v in figures.cells.items() if cell_parts(k)[0] == staff_type}
        if not cells:
            continue
        parent = row(str(staff_labels[staff_type]), sum(cells.values(), Outcome()), 1)
        rows.append(parent)
        children = []
        order = {v: i for i, v in enumerate(SchoolLevel.values)}
        for key in sorted(cells, key=lambda k: (order.get(cell_parts(k)[1], 99), cell_parts(k)[2])):
            _st, level, own = cell_parts(key)
            label = f"{level_labels.get(level, level) or _('No level')} · {own_labels.get(own, own)}"
            children.append(row(str(label), cells[key], 2))
        rows.extend(children)
        staff_rows.append((parent, children))
    for m in OUTCOME_MEASURES:
        suppress_children([p.cells[m] for p, _c in staff_rows], total.cells[m], suppress=suppress)
        for parent, children in staff_rows:
            suppress_children([c.cells[m] for c in children], parent.cells[m], suppress=suppress)
    return rows


def programme_rows(figures: ReportFigures, *, suppress: bool = False) -> list[PartRow]:
    """One row per programme; with `suppress`, each row's group cells as a non-sensitive viewer sees
    them (a person may take part in several programmes: the rows add up to no total)."""
    labels = dict(Programme.choices)
    return [
        PartRow(str(labels[c]), p, c, _cells_of(p, PART_MEASURES, suppress))
        for c in Programme.values
        if (p := figures.programmes.get(c)) is not None
    ]


def module_rows(figures: ReportFigures, *, suppress: bool = False) -> list[PartRow]:
    """One row per module, as `programme_rows`."""
    modules = sorted(figures.modules.values(), key=lambda m: (m.catalog, m.code, vn_text_key(m.title)))
    return [
        PartRow(f"{m.code}: {m.title}" if m.code else m.title, m, m.catalog, _cells_of(m, PART_MEASURES, suppress))
        for m in modules
    ]


def diff_rows(filed: ReportFigures, today: ReportFigures, *, suppress: bool = False) -> list[DiffRow]:
    """The filed figures against today's, line by line (a module only where it differs); with
    `suppress`, a group's change of 1 to 4 people is not shown (`DiffRow.change_cells`)."""
    f, t = filed.overall, today.overall
    rows = [
        DiffRow(str(_("People")), f.people, t.people, suppress),
        DiffRow(str(_("Completed")), f.completed, t.completed, suppress),
        DiffRow(str(_("Not completed")), f.not_completed, t.not_completed, suppress),
        DiffRow(str(_("No result yet")), f.no_result, t.no_result, suppress),
    ]
    labels = dict(Programme.choices)
    for code in Programme.values:
        a, b = filed.programmes.get(code, Participation()), today.programmes.get(code, Participation())
        rows.append(DiffRow(f"{labels[code]}: {_('enrolled')}", a.enrolled, b.enrolled, suppress))
        rows.append(DiffRow(f"{labels[code]}: {_('completed')}", a.completed, b.completed, suppress))
    for key in sorted(set(filed.modules) | set(today.modules)):
        a_m = filed.modules.get(key)
        b_m = today.modules.get(key)
        m = a_m or b_m
        assert m is not None
        for what, x, y in (
            (_("enrolled"), a_m.enrolled if a_m else Groups(), b_m.enrolled if b_m else Groups()),
            (_("completed"), a_m.completed if a_m else Groups(), b_m.completed if b_m else Groups()),
        ):
            if x != y:
                rows.append(DiffRow(f"{m.code}: {what}", x, y, suppress))
    return rows
