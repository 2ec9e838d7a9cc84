"""Percentages as Vietnamese reports write them: exact, halves rounded up.

Python's `round()` rounds halves to even (round(12.5) == 12) and works on binary floats, so 1 of 8
would be written 12 % where a report written by hand says 13 %. Every percentage the system shows
(the results report, Biểu 3, dashboards, unit plans) comes from `percent` here: the quotient is
taken exactly with `Decimal` from integers and quantized with ROUND_HALF_UP.
"""

from decimal import ROUND_HALF_UP, Decimal


def percent(part: int, whole: int, places: int = 0) -> Decimal | None:
    """`part` of `whole` in percent to `places` decimals, halves rounded up (1/8 → 13, 3/8 → 38;
    to one decimal 1/8 → 12.5, 1/16 → 6.3); None when `whole` is 0 (a share of nothing)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def whole_percent(part: int, whole: int, *, empty: int = 0) -> int:
    """`percent` in whole percent as an int; `empty` when `whole` is 0."""
    value = percent(part, whole)
    return empty if value is None else int(value)
