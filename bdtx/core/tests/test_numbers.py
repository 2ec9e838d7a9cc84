from decimal import Decimal

import pytest

from bdtx.core.numbers import percent, whole_percent


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, 13), (3, 8, 38), (5, 8, 63), (1, 3, 33), (2, 3, 67), (5, 5, 100), (0, 5, 0), (1, 200, 1)],
)
def test_whole_percents_round_halves_up(part: int, whole: int, expected: int) -> None:
    assert percent(part, whole) == Decimal(expected)
    assert whole_percent(part, whole) == expected


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(1, 8, "12.5"), (1, 16, "6.3"), (3, 16, "18.8"), (1, 3, "33.3"), (2, 3, "66.7"), (5, 5, "100.0"), (1, 7, "14.3")],
)
def test_one_decimal_percents_round_halves_up(part: int, whole: int, expected: str) -> None:
    assert str(percent(part, whole, places=1)) == expected


def test_a_share_of_nothing_is_none_or_the_empty_value_asked_for() -> None:
    assert percent(0, 0) is None
    assert percent(3, 0, places=1) is None
    assert whole_percent(0, 0) == 0
    assert whole_percent(0, 0, empty=-1) == -1


def test_halves_go_up_where_round_goes_to_even() -> None:
    # round(12.5) == 12 and round(6.25, 1) == 6.2: Python rounds halves to even
    assert (whole_percent(1, 8), percent(1, 16, places=1)) == (13, Decimal("6.3"))


def test_the_template_filter_shows_whole_percents_halves_up_and_nothing_as_zero() -> None:
    from django.template import Context, Template

    t = Template("{% load numbers %}{{ a|percent_of:b }}")
    shown = [t.render(Context({"a": a, "b": b})) for a, b in [(1, 8), (3, 8), (0, 0), (2, None), (None, 4)]]
    assert shown == ["13", "38", "0", "0", "0"]
