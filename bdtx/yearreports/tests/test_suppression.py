"""The results report's group cells as a viewer who does not see sensitive data sees them (the rule:
`bdtx.core.suppression`; the pages and documents: test_views)."""

from bdtx.core.suppression import HIDDEN, SMALL
from bdtx.yearreports.figures import Groups, Outcome, ReportFigures, cell_key
from bdtx.yearreports.selectors import DiffRow, outcome_rows

G = Groups  # total, women, ethnic minority, ethnic-minority women, difficult area

FIGURES = ReportFigures(
    cells={
        cell_key("GV", "TH", "public"): Outcome(people=G(20, 10, 5, 1, 6)),
        cell_key("GV", "THCS", "public"): Outcome(people=G(30, 15, 12, 6, 8)),
        cell_key("CBQL", "TH", "public"): Outcome(people=G(10, 5, 6, 2, 0)),
    }
)


def _people(suppress: bool) -> list[list[str]]:
    return [[str(c) for c in r.people_cells] for r in outcome_rows(FIGURES, suppress=suppress)]


def test_a_viewer_who_sees_sensitive_data_sees_every_figure() -> None:
    assert _people(False) == [
        ["60", "30", "23", "9", "14"],
        ["50", "25", "17", "7", "14"],
        ["20", "10", "5", "1", "6"],
        ["30", "15", "12", "6", "8"],
        ["10", "5", "6", "2", "0"],
        ["10", "5", "6", "2", "0"],
    ]


def test_small_cells_and_the_cells_that_would_give_them_back_are_hidden_down_the_rows() -> None:
    assert _people(True) == [
        ["60", "30", "23", "9", "14"],  # all staff: every total and group stays
        # teachers: minority and minority women hidden, else all staff − teachers gives the managers'
        ["50", "25", HIDDEN, HIDDEN, "14"],
        # primary: 1 minority woman of 5 minority, "x" (not "<5": 5 minority women would be "x", so
        # "<5" there would say "not all"); its 5 minority hidden, else 5 + 12 gives the teachers' back
        ["20", "10", HIDDEN, HIDDEN, "6"],
        ["30", "15", "12", "6", "8"],
        # managers: 10 − 6 = 4 people not in a minority gives the minority away; 2 minority women of
        # 5 women "x" (5 of 5 would be "x")
        ["10", "5", HIDDEN, HIDDEN, "0"],
        ["10", "5", HIDDEN, HIDDEN, "0"],
    ]


def test_totals_and_percentages_are_never_hidden() -> None:
    rows = outcome_rows(
        ReportFigures(cells={cell_key("GV", "TH", "public"): Outcome(G(8, 3, 2, 1, 1), G(1))}), suppress=True
    )
    # of 8 people, 4 minority would leave 4 others ("x"): any count of them is "x", not "<5"
    assert [str(c) for c in rows[0].people_cells] == ["8", SMALL, HIDDEN, HIDDEN, SMALL]
    assert (rows[0].percent, rows[0].shown("completed")[0].value) == (13, 1)


def test_a_groups_change_since_filing_of_one_to_four_people_is_hidden() -> None:
    filed, today = G(10, 5, 5, 2, 3), G(12, 6, 8, 2, 13)
    # the total changed by 2 people: the ethnicity changes are "x" (as a row of 2 people), women "<5"
    assert [str(c) for c in DiffRow("", filed, today, suppress=True).change_cells] == [SMALL, HIDDEN, HIDDEN, "10"]
    assert [c.value for c in DiffRow("", filed, today).change_cells] == [1, 3, 0, 10]
