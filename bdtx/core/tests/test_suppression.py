"""Small-cell suppression, as functions (the pages' use of it: the dashboards' and the results
report's test_figures and test_views)."""

from bdtx.core.suppression import HIDDEN, SMALL, Cell, percent, suppress_children, suppress_columns, suppress_row


def groups(women: int, minority: int, minority_women: int, difficult: int) -> dict[str, int]:
    return {"women": women, "minority": minority, "minority_women": minority_women, "difficult": difficult}


def marks(cells: dict[str, Cell]) -> dict[str, str]:
    return {g: str(c) for g, c in cells.items()}


def test_a_sensitive_viewer_sees_every_figure():
    assert marks(suppress_row(40, groups(30, 3, 1, 2), suppress=False)) == {
        "women": "30",
        "minority": "3",
        "minority_women": "1",
        "difficult": "2",
    }


def test_counts_from_one_to_four_are_shown_as_under_five_and_zero_stays():
    cells = suppress_row(40, groups(30, 4, 0, 1), suppress=True)
    assert marks(cells) == {"women": "30", "minority": SMALL, "minority_women": "0", "difficult": SMALL}
    assert cells["minority"].value is None


def test_five_is_shown():
    assert marks(suppress_row(40, groups(30, 5, 0, 5), suppress=True))["minority"] == "5"


def test_a_minority_count_that_leaves_few_others_is_hidden():
    # 40 people, 37 of them ethnic minority: the 3 others would be read off by subtraction
    cells = suppress_row(40, groups(20, 37, 18, 0), suppress=True)
    assert str(cells["minority"]) == HIDDEN
    assert str(cells["women"]) == "20"


def test_minority_women_are_hidden_when_minority_men_would_be_few():
    # 12 minority, 9 of them women: 3 minority men
    assert str(suppress_row(40, groups(20, 12, 9, 0), suppress=True)["minority_women"]) == HIDDEN


def test_minority_women_are_hidden_when_the_other_women_would_be_few():
    # 20 women, 18 of them minority: 2 women are not
    assert str(suppress_row(40, groups(20, 25, 18, 0), suppress=True)["minority_women"]) == HIDDEN


def test_differences_telling_only_gender_or_area_are_left():
    # 40 people, 38 women, 37 in a difficult area: men and the others are few, nobody's ethnicity is told
    assert marks(suppress_row(40, groups(38, 10, 8, 37), suppress=True)) == {
        "women": "38",
        "minority": "10",
        "minority_women": HIDDEN,  # 10 − 8: the 2 minority men, who are the 2 men
        "difficult": "37",
    }
    assert marks(suppress_row(40, groups(38, 0, 0, 37), suppress=True)) == {
        "women": "38",
        "minority": "0",
        "minority_women": "0",
        "difficult": "37",
    }


def test_a_column_with_one_hidden_cell_hides_another_so_the_total_does_not_give_it_back():
    rows = [
        suppress_row(50, groups(30, 3, 0, 0), suppress=True),
        suppress_row(50, groups(30, 20, 0, 0), suppress=True),
        suppress_row(50, groups(30, 8, 0, 0), suppress=True),
    ]
    total = suppress_row(150, groups(90, 31, 0, 0), suppress=True)
    suppress_columns(rows, total, suppress=True)
    assert [str(r["minority"]) for r in rows] == [SMALL, "20", HIDDEN]
    assert [str(r["women"]) for r in rows] == ["30", "30", "30"]


def test_a_column_with_two_hidden_cells_is_left():
    rows = [suppress_row(50, groups(30, 3, 0, 0), suppress=True), suppress_row(50, groups(30, 2, 0, 0), suppress=True)]
    rows.append(suppress_row(50, groups(30, 9, 0, 0), suppress=True))
    suppress_columns(rows, suppress_row(150, groups(90, 14, 0, 0), suppress=True), suppress=True)
    assert [str(r["minority"]) for r in rows] == [SMALL, SMALL, "9"]


def test_a_percentage_of_a_hidden_cell_is_hidden():
    assert str(percent(Cell(None, SMALL), Cell(20))) == SMALL
    assert str(percent(Cell(3), Cell(None, SMALL))) == SMALL
    assert percent(Cell(5), Cell(20)).value == 25
    assert str(percent(Cell(0), Cell(0))) == "–"


def test_percentages_round_halves_up():
    """1 of 8 is 12.5 %: 13, as a Vietnamese report writes it (Python's round() gave 12)."""
    assert percent(Cell(1), Cell(8)).value == 13
    assert percent(Cell(3), Cell(8)).value == 38


def test_a_parent_hidden_as_x_hides_one_of_the_children_that_add_up_to_it():
    parent = {"minority": Cell(None, HIDDEN), "women": Cell(9)}
    children = [{"minority": Cell(6), "women": Cell(4)}, {"minority": Cell(0), "women": Cell(5)}]
    suppress_children(children, parent, suppress=True)
    assert [str(c["minority"]) for c in children] == [HIDDEN, "0"]  # 6 alone would be the parent
    assert [str(c["women"]) for c in children] == ["4", "5"]  # the women's cells were not hidden


def test_children_of_a_shown_parent_follow_the_column_rule():
    parent = {"minority": Cell(12)}
    children = [{"minority": Cell(None, SMALL)}, {"minority": Cell(5)}, {"minority": Cell(6)}]
    suppress_children(children, parent, suppress=True)
    assert [str(c["minority"]) for c in children] == [SMALL, HIDDEN, "6"]
    untouched = [{"minority": Cell(6)}]
    suppress_children(untouched, {"minority": Cell(None, HIDDEN)}, suppress=False)
    assert str(untouched[0]["minority"]) == "6"


# rule 2 with a complement of 0: everyone of a group is of a minority (hand-counted rows)


def test_one_person_of_a_minority_is_hidden_not_shown_as_under_five():
    # total 1, that one a minority woman: "<5" of 1 can only be 1
    cells = suppress_row(1, groups(1, 1, 1, 0), suppress=True)
    assert marks(cells) == {"women": SMALL, "minority": HIDDEN, "minority_women": HIDDEN, "difficult": "0"}
    # and the one person not of a minority looks the same
    assert marks(suppress_row(1, groups(1, 0, 0, 0), suppress=True)) == marks(cells)


def test_a_row_whose_people_are_all_of_a_minority_hides_its_ethnicity_cells():
    # 30 people, 30 minority (20 women, all minority): whoever knows someone there knows their ethnicity
    assert marks(suppress_row(30, groups(20, 30, 20, 0), suppress=True)) == {
        "women": "20",
        "minority": HIDDEN,
        "minority_women": HIDDEN,
        "difficult": "0",
    }


def test_a_row_of_thirty_with_twelve_of_a_minority_is_shown():
    # 30 people, 20 women; 12 minority of whom 7 women: 18 others, 5 minority men, 13 other women,
    # 10 men of whom 5 minority and 5 not
    assert marks(suppress_row(30, groups(20, 12, 7, 3), suppress=True)) == {
        "women": "20",
        "minority": "12",
        "minority_women": "7",
        "difficult": SMALL,
    }


def test_minority_women_are_hidden_when_all_the_women_or_all_the_minority_are_them():
    assert str(suppress_row(30, groups(12, 20, 12, 0), suppress=True)["minority_women"]) == HIDDEN  # all women
    assert str(suppress_row(30, groups(25, 12, 12, 0), suppress=True)["minority_women"]) == HIDDEN  # no minority men


def test_minority_women_are_hidden_when_the_men_would_be_read_as_all_of_a_minority():
    # 30 people, 20 women, 15 minority, 5 minority women: 10 minority men, who are the 10 men
    assert marks(suppress_row(30, groups(20, 15, 5, 0), suppress=True)) == {
        "women": "20",
        "minority": "15",
        "minority_women": HIDDEN,
        "difficult": "0",
    }


def test_under_five_is_only_shown_where_every_count_from_one_to_four_would_be():
    # 9 people: 1 to 4 minority leaves 5 to 8 others, "<5"; of 8 people, 4 would leave 4: "x" for all
    assert str(suppress_row(9, groups(9, 2, 2, 0), suppress=True)["minority"]) == SMALL
    assert str(suppress_row(8, groups(8, 1, 1, 0), suppress=True)["minority"]) == HIDDEN
    assert str(suppress_row(9, groups(9, 0, 0, 0), suppress=True)["minority"]) == "0"
