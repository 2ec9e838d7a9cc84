"""Small-cell suppression of the group figures (women, ethnic minority, ethnic-minority women,
difficult area) for viewers who do not see sensitive data (`Scope.sees_sensitive` is False: the
ministry). Ethnicity is sensitive personal data (Decree 13/2023, Law 91/2025): a dashboard or a
results report gives aggregates only, and nobody's ethnicity may be read off a small number. Used by
the dashboards and by the yearly results report's page and documents (two apps beside each other,
hence here in core).

What is hidden, in this order (totals always stay):

1. Primary: a group cell whose count is 1 to 4 is shown as "<5" (`SMALL`); 0 stays 0.
2. Within a row (one unit, or one measure of one unit), a cell that a shown total and a shown cell
   would give away by subtraction as an ethnicity count of 1 to 4 is hidden as "x" (`HIDDEN`):
   - total − ethnic minority (the people not counted as minority) in 1..4 → the minority cell;
   - ethnic minority − minority women (minority men) in 1..4 → the minority-women cell;
   - women − minority women (women not counted as minority) in 1..4 → the minority-women cell.
   Differences that tell only a gender or an area (total − women, total − difficult area) are
   left: they read nobody's ethnicity.
3. Within a column of a table with a total row (the units of a dashboard): when exactly one unit's
   cell of a column is hidden and the total row's cell is shown, the smallest other non-zero cell
   of that column is hidden too ("x"), so that the total minus the others does not give it back.
   Where the rows are themselves parts of a row shown above them (the results report's staff types
   under all staff, and school levels under a staff type; `suppress_children`), a parent cell hidden
   as "x" with every child cell shown would be their sum: the smallest non-zero child is hidden too.

A percentage derived from a hidden cell is hidden with it. Not covered (said so on purpose): the
differences between two measures of the same group (people in scope − enrolled women), and between
two pages (a year against the next, a unit's page against its parent's) — the figures are
aggregates for planning, not a published statistical release.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bdtx.core.numbers import whole_percent

SMALL = "<5"
HIDDEN = "x"
THRESHOLD = 5

WOMEN = "women"
MINORITY = "minority"
MINORITY_WOMEN = "minority_women"
DIFFICULT = "difficult"
GROUPS = (WOMEN, MINORITY, MINORITY_WOMEN, DIFFICULT)

# (minuend, subtrahend or "total", the cell to hide when the difference is small)
_ROW_COMPLEMENTS = (
    ("total", MINORITY, MINORITY),
    (MINORITY, MINORITY_WOMEN, MINORITY_WOMEN),
    (WOMEN, MINORITY_WOMEN, MINORITY_WOMEN),
)


def is_small(n: int) -> bool:
    return 0 < n < THRESHOLD


@dataclass(frozen=True)
class Cell:
    """A figure as shown: its value, or None with the mark that stands for it."""

    value: int | None
    mark: str = ""

    @property
    def hidden(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.mark if self.value is None else str(self.value)


def shown(n: int) -> Cell:
    return Cell(n)


def suppress_row(total: int, groups: Mapping[str, int], *, suppress: bool) -> dict[str, Cell]:
    """The group cells of one row (rules 1 and 2 of the module's docstring)."""
    if not suppress:
        return {g: Cell(n) for g, n in groups.items()}
    cells = {g: Cell(None, SMALL) if is_small(n) else Cell(n) for g, n in groups.items()}
    values = {"total": total, **groups}
    for minuend, subtrahend, hide in _ROW_COMPLEMENTS:
        if hide not in cells or cells[hide].hidden:
            continue
        if minuend != "total" and (minuend not in cells or cells[minuend].hidden):
            continue
        if subtrahend not in cells or cells[subtrahend].hidden:
            continue
        if is_small(values[minuend] - values[subtrahend]):
            cells[hide] = Cell(None, HIDDEN)
    return cells


def suppress_columns(rows: Sequence[dict[str, Cell]], total_row: Mapping[str, Cell], *, suppress: bool) -> None:
    """Rule 3, in place: in each column where one row alone is hidden and the total is shown, hide
    the smallest other non-zero cell as well."""
    if not suppress or not rows:
        return
    for group in total_row:
        if total_row[group].hidden:
            continue
        hidden = [r for r in rows if group in r and r[group].hidden]
        if len(hidden) != 1:
            continue
        others = [r for r in rows if group in r and not r[group].hidden and (r[group].value or 0) > 0]
        if others:
            smallest = min(others, key=lambda r: r[group].value or 0)
            smallest[group] = Cell(None, HIDDEN)


def suppress_children(children: Sequence[dict[str, Cell]], parent: Mapping[str, Cell], *, suppress: bool) -> None:
    """Rule 3 for rows that add up to `parent`, in place: as `suppress_columns`, and where the
    parent's cell is hidden while none of its children's is, hide the smallest non-zero child."""
    if not suppress or not children:
        return
    suppress_columns(children, parent, suppress=suppress)
    for group in parent:
        if not parent[group].hidden or any(group in r and r[group].hidden for r in children):
            continue
        others = [r for r in children if group in r and (r[group].value or 0) > 0]
        if others:
            smallest = min(others, key=lambda r: r[group].value or 0)
            smallest[group] = Cell(None, HIDDEN)


def percent(part: Cell, whole: Cell) -> Cell:
    """part / whole in whole percent; hidden when either is hidden, empty ('–') when whole is 0."""
    if part.hidden or whole.hidden:
        return Cell(None, part.mark or whole.mark)
    if not whole.value:
        return Cell(None, "–")
    return Cell(whole_percent(part.value or 0, whole.value))
