"""Small-cell suppression of the group figures (women, ethnic minority, ethnic-minority women,
difficult area) for viewers who do not see sensitive data (`Scope.sees_sensitive` is False: the
ministry). Ethnicity is sensitive personal data (Decree 13/2023, Law 91/2025): a dashboard or a
results report gives aggregates only, and nobody's ethnicity may be read off a small number. Used by
the dashboards and by the yearly results report's page and documents (two apps beside each other,
hence here in core).

What is hidden, in this order (totals always stay):

1. Primary: a group cell whose count is 1 to 4 is shown as "<5" (`SMALL`); 0 stays 0.
2. Complements, for the ethnicity cells (ethnic minority, minority women) only: a group of people
   that a row shows (all its people, the women, the minority) or that its shown cells give by
   subtraction (the men: total − women) splits into the part that is of a minority and the rest. An
   ethnicity cell is hidden as "x" (`HIDDEN`) when, in a group it is part of, the rest is 1 to 4, or
   the rest is 0 while the part is not. Why: a rest of 1 to 4 is a small count read by subtraction
   (10 people, 7 minority: 3 are not); a rest of 0 says that everyone of the group is of a minority,
   so whoever knows one of them (a colleague, a parent) knows their ethnicity — 30 of 30, or "<5" of
   a total of 1, which can only be 1. This is the threshold rule with group disclosure of statistics
   offices: a cell is disclosive when it or its complement within its row or column is below the
   threshold, a complement of 0 included — here the rows and columns of one row's gender × ethnicity
   table (the women and the men; of a minority or not). Pairs looked at (part in group → cell hidden):
   - minority in all people (rest: not minority) → the minority cell;
   - minority women in all people, in the women (rest: women not of a minority) and in the minority
     (rest: minority men) → the minority-women cell;
   - minority men (minority − minority women) in the men (total − women), rest the men not of a
     minority, when the minority men are not 0 → the minority-women cell (it breaks the subtraction).
   A group only counts when its size is shown (a women's or minority cell hidden itself is no group
   to subtract from). A part of 0 with a rest of 0 is an empty group, which says nothing. A part of
   0 in a group of 5 or more (nobody of a minority: all Kinh, the majority) is left, on purpose: it
   is what most rows show, and hiding it would hide the minority figure of nearly every unit — the
   figure the report exists for. The differences that tell only a gender or an
   area (total − women, total − difficult area) are left: they read nobody's ethnicity; women counts
   stay as rule 1 shows them.
   The mark of a cell of 1 to 4 does not depend on which of 1 to 4 it is: it becomes "x" when the
   complement rule would hide any of the values 1 to 4 there, and stays "<5" otherwise. Else the
   mark would tell by elimination: in a row of 6 people, 2 to 6 minority are "x", so a "<5" would
   say 1; beside 5 women, 5 minority women are "x", so a "<5" would say "not all of them".
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


def gives_away(part: int, rest: int) -> bool:
    """Rule 2: a group split into `part` (of a minority) and `rest` gives the part away when the rest
    is 1 to 4, or 0 while the part is not (everyone of the group is of a minority)."""
    return 0 < rest < THRESHOLD or (rest == 0 and part > 0)


def _ethnicity_given_away(cell: str, values: Mapping[str, int], cells: Mapping[str, Cell]) -> bool:
    """Whether `cell` (MINORITY or MINORITY_WOMEN, at its value in `values`) is given away by a group
    it is part of (rule 2). A group whose size is hidden is not looked at."""
    part, total = values[cell], values["total"]
    shown = {g: values[g] for g in (WOMEN, MINORITY) if g in cells and not cells[g].hidden}
    sizes = [total] if cell == MINORITY else [total, *shown.values()]
    if any(gives_away(part, n - part) for n in sizes):
        return True
    if cell == MINORITY_WOMEN and WOMEN in shown and MINORITY in shown:
        men, minority_men = total - shown[WOMEN], shown[MINORITY] - part
        return minority_men > 0 and gives_away(minority_men, men - minority_men)
    return False


def suppress_row(total: int, groups: Mapping[str, int], *, suppress: bool) -> dict[str, Cell]:
    """The group cells of one row (rules 1 and 2 of the module's docstring)."""
    if not suppress:
        return {g: Cell(n) for g, n in groups.items()}
    cells = {g: Cell(None, SMALL) if is_small(n) else Cell(n) for g, n in groups.items()}
    values = {"total": total, **groups}
    for cell in (MINORITY, MINORITY_WOMEN):  # the minority first: the minority women's groups include it
        if cell not in cells:
            continue
        if is_small(values[cell]):
            possible = (v for v in range(1, THRESHOLD) if v <= total)
            hidden = any(_ethnicity_given_away(cell, {**values, cell: v}, cells) for v in possible)
        else:
            hidden = _ethnicity_given_away(cell, values, cells)
        if hidden:
            cells[cell] = Cell(None, HIDDEN)
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
