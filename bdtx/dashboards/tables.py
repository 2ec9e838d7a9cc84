"""The tables of a dashboard, built once and drawn three ways: as HTML tables (the accessible form),
as the charts' data (a hidden cell gives the chart no value) and as .xlsx (the same marks)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bdtx.core.scope import Perm, Scope
from bdtx.core.suppression import DIFFICULT, GROUPS, MINORITY, MINORITY_WOMEN, WOMEN, Cell
from bdtx.dashboards.selectors import (
    COMPLETED,
    ENROLLED,
    IN_SCOPE,
    MEASURES,
    PLANS_APPROVED,
    PLANS_SUBMITTED,
    RESULTS_COMPLETED,
    Dashboard,
    ShownRow,
)
from bdtx.plans.models import PlanStatus

MEASURE_LABELS: dict[str, Promise] = {
    IN_SCOPE: _("People in scope"),
    PLANS_SUBMITTED: _("Plans submitted"),
    PLANS_APPROVED: _("Plans approved"),
    ENROLLED: _("Enrolled"),
    COMPLETED: _("Completed a module"),
    RESULTS_COMPLETED: _("Year result: completed"),
}
GROUP_LABELS: dict[str, Promise] = {
    WOMEN: _("Women"),
    MINORITY: _("Ethnic minority"),
    MINORITY_WOMEN: _("Ethnic-minority women"),
    DIFFICULT: _("Difficult area"),
}


@dataclass(frozen=True)
class TCell:
    """A cell: a number (None when hidden or empty, with the text that stands for it) or a text."""

    text: str
    value: int | None = None
    url: str = ""
    numeric: bool = True

    @classmethod
    def of(cls, cell: Cell | int, suffix: str = "") -> "TCell":
        if isinstance(cell, int):
            return cls(f"{cell}{suffix}", cell)
        return cls(f"{cell.value}{suffix}" if cell.value is not None else cell.mark, cell.value)

    @classmethod
    def label(cls, text: Any, url: str = "") -> "TCell":
        return cls(str(text), None, url, numeric=False)


@dataclass(frozen=True)
class Chart:
    kind: str  # "bar", "line"
    series: list[tuple[int, str]]  # (column index, label) drawn from the rows
    horizontal: bool = False
    keep_end: bool = False  # a long label is cut at its start (unit names differ at their end)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[TCell]]
    foot: list[TCell] | None = None
    chart: Chart | None = None
    note: str = ""
    side_by_side: bool = False  # a narrow table: its chart beside it on a wide screen (else above it)

    @property
    def headers(self) -> list[tuple[str, bool]]:
        """Each column's title and whether it holds numbers (right-aligned, like its cells)."""
        first = self.rows[0] if self.rows else (self.foot or [])
        return [(title, i > 0 and (i >= len(first) or first[i].numeric)) for i, title in enumerate(self.columns)]

    def chart_data(self) -> dict[str, Any] | None:
        """What Chart.js draws: the rows' first cell as labels, the chart's columns as datasets; a
        hidden cell is null (no bar, no point)."""
        if self.chart is None or not self.rows:
            return None
        return {
            "type": self.chart.kind,
            "horizontal": self.chart.horizontal,
            "keep_end": self.chart.keep_end,
            "labels": [r[0].text for r in self.rows],
            "datasets": [{"label": label, "data": [r[i].value for r in self.rows]} for i, label in self.chart.series],
        }


def _unit_row(r: ShownRow, label: TCell) -> list[TCell]:
    row = r.row
    return [
        label,
        TCell.of(row.total(IN_SCOPE)),
        TCell.of(row.total(PLANS_SUBMITTED)),
        TCell.of(row.total(PLANS_APPROVED)),
        TCell.of(row.total(ENROLLED)),
        TCell.of(row.total(COMPLETED)),
        TCell.of(row.total(RESULTS_COMPLETED)),
        TCell.of(row.enrolments),
        TCell.of(row.enrolments_completed),
        TCell.of(row.progress, "%"),
    ]


def units_table(d: Dashboard, url_of: Callable[[Any], str]) -> Table:
    columns = [str(_("Unit")), *(str(MEASURE_LABELS[m]) for m in MEASURES)]
    columns += [str(_("Enrolments")), str(_("Completed enrolments")), str(_("Progress"))]
    rows = [_unit_row(r, TCell.label(r.unit.name if r.unit else "", url_of(r.unit))) for r in d.rows]
    if d.own:
        rows.append(_unit_row(d.own, TCell.label(_("Staff of the unit itself"))))
    return Table(
        key="units",
        title=str(_("By unit")),
        columns=columns,
        rows=rows,
        foot=_unit_row(d.total, TCell.label(_("Total"))),
        chart=Chart(
            "bar",
            [
                (1, str(MEASURE_LABELS[IN_SCOPE])),
                (4, str(MEASURE_LABELS[ENROLLED])),
                (5, str(MEASURE_LABELS[COMPLETED])),
            ],
            horizontal=True,
            keep_end=True,
        ),
    )


def _groups_row(label: TCell, r: ShownRow) -> list[TCell]:
    return [label, TCell.of(r.row.total(IN_SCOPE)), *(TCell.of(r.groups[g]) for g in GROUPS)]


def unit_groups_table(d: Dashboard) -> Table:
    rows = [_groups_row(TCell.label(r.unit.name if r.unit else ""), r) for r in d.rows]
    if d.own:
        rows.append(_groups_row(TCell.label(_("Staff of the unit itself")), d.own))
    return Table(
        key="unit_groups",
        title=str(_("People in scope by unit and group")),
        columns=[str(_("Unit")), str(_("Total")), *(str(GROUP_LABELS[g]) for g in GROUPS)],
        rows=rows,
        foot=_groups_row(TCell.label(_("Total")), d.total),
    )


def groups_table(d: Dashboard) -> Table:
    columns = [str(_("Figure")), str(_("Total"))]
    for g in GROUPS:
        columns += [str(GROUP_LABELS[g]), str(_("%(group)s (%%)") % {"group": GROUP_LABELS[g]})]
    rows = []
    for line in d.by_group:
        row = [TCell.label(MEASURE_LABELS[line.measure]), TCell.of(line.total)]
        for g in GROUPS:
            row += [
                TCell.of(line.cells[g]),
                TCell.of(line.shares[g], "%") if line.measure != IN_SCOPE else TCell("", None),
            ]
        rows.append(row)
    return Table(
        key="groups",
        title=str(_("By group")),
        columns=columns,
        rows=rows,
        chart=Chart(
            "bar",
            [
                (2, str(GROUP_LABELS[WOMEN])),
                (4, str(GROUP_LABELS[MINORITY])),
                (6, str(GROUP_LABELS[MINORITY_WOMEN])),
                (8, str(GROUP_LABELS[DIFFICULT])),
            ],
        ),
    )


def modules_table(d: Dashboard) -> Table:
    rows = [
        [
            TCell.label(f"{m.code} {m.title}".strip()),
            TCell.label(m.programme),
            TCell.of(m.enrolments),
            TCell.of(m.completed),
            TCell.of(m.progress, "%"),
        ]
        for m in d.figures.modules
    ]
    return Table(
        key="modules",
        title=str(_("By module")),
        columns=[
            str(_("Module or content")),
            str(_("Programme")),
            str(_("Enrolments")),
            str(_("Completed")),
            str(_("Progress")),
        ],
        rows=rows,
        chart=Chart("bar", [(2, str(_("Enrolments"))), (3, str(_("Completed")))], horizontal=True),
    )


def months_table(d: Dashboard) -> Table:
    rows = [[TCell.label(p.label), TCell.of(p.completed), TCell.of(p.cumulative)] for p in d.figures.months]
    return Table(
        key="months",
        title=str(_("Completion over the year")),
        columns=[str(_("Month")), str(_("Modules completed")), str(_("Since the start of the year"))],
        rows=rows,
        chart=Chart("line", [(2, str(_("Since the start of the year"))), (1, str(_("Modules completed")))]),
        side_by_side=True,
        note=" ".join(
            [
                str(
                    _(
                        "A module counts in the month its completion was recorded (the last of the three marks), "
                        "not when the completion list was approved."
                    )
                ),
                *(
                    [
                        str(_("%(n)d completed modules have no recorded date and are in no month."))
                        % {"n": d.figures.undated_completions}
                    ]
                    if d.figures.undated_completions
                    else []
                ),
            ]
        ),
    )


def people_table(*, scope: Scope, d: Dashboard, page: Iterable[Any]) -> Table:
    may_open = scope.has(Perm.PEOPLE_VIEW, d.unit.path)
    statuses = dict(PlanStatus.choices)
    rows = [
        [
            TCell.label(e.person.full_name, reverse("records:detail", args=[e.person.uuid]) if may_open else ""),
            TCell.label(e.get_position_display()),
            TCell.label(statuses.get(e.plan_status, _("No plan")) if e.plan_status else _("No plan")),
            TCell.of(e.n_enrolments),
            TCell.of(e.n_completed),
            TCell.label(e.result_label or "–"),
        ]
        for e in page
    ]
    return Table(
        key="people",
        title=str(_("People")),
        columns=[
            str(_("Name")),
            str(_("Position")),
            str(_("Personal plan")),
            str(_("Enrolments")),
            str(_("Completed")),
            str(_("Year result")),
        ],
        rows=rows,
    )
