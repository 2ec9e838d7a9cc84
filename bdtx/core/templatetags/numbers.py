"""Percentages in templates as `core.numbers` computes them (halves rounded up): `{{ n|percent_of:total }}`.

Django's `{% widthratio %}` rounds halves to even on a float (1 of 8 answered showed 12 %, where a
report written by hand says 13 %).
"""

from django import template

from bdtx.core.numbers import whole_percent

register = template.Library()


@register.filter
def percent_of(part: int | None, whole: int | None) -> int:
    """`part` of `whole` in whole percent, halves rounded up; 0 when `whole` is 0 or missing."""
    return whole_percent(int(part or 0), int(whole or 0))
