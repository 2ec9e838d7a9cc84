"""Reads of the regimes: which rules hold in a school year, and how many periods a unit's people owe."""

from typing import TypedDict

from django.db.models import QuerySet

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_paths
from bdtx.organisations.models import Unit
from bdtx.regimes.models import HoursShift, Regime


class Hours(TypedDict):
    bd01: int
    bd02: int
    bd03: int
    total: int
    regime: Regime
    shift: HoursShift | None  # the split that applies, None when the regime's own split does


def regime_for_year(school_year: SchoolYear) -> Regime:
    """The regime in force in a school year (Regime.DoesNotExist when none covers it)."""
    return Regime.objects.for_year(school_year)


def regime_list() -> QuerySet[Regime]:
    """Every regime, oldest first (regimes are national data: anyone may read them)."""
    return Regime.objects.order_by("first_year")


def hours_shift_applying(*, unit: Unit, school_year: SchoolYear, regime: Regime) -> HoursShift | None:
    """The split of the nearest ancestor (or the unit itself) for the year, if the regime allows it.

    One query for all the ancestors. A split that no longer fits the regime (an administrator
    changed the regime's periods after the province set it) is ignored: the regime's own split holds.
    """
    if not regime.shiftable_01_02:
        return None
    shifts = (
        HoursShift.objects.filter(unit__path__in=ancestor_paths(unit.path), school_year_id=school_year.pk)
        .select_related("unit")
        .order_by("-unit__depth")
    )
    for shift in shifts:
        if shift.bd01_hours + shift.bd02_hours == regime.bd01_hours + regime.bd02_hours:
            return shift
    return None


def hours_for(*, unit: Unit, school_year: SchoolYear) -> Hours:
    """Periods per programme that the people of `unit` owe in the school year.

    The regime of the year gives the split; the nearest ancestor's shift between programmes 01
    and 02 (a province's decision) replaces it when the regime allows shifting. Programme 03
    never changes. Raises Regime.DoesNotExist when no regime covers the year.

    Uses the unit's place in today's tree: a province that ceased to exist (the 2025 mergers)
    and its splits are not consulted for its former schools.
    """
    regime = regime_for_year(school_year)
    shift = hours_shift_applying(unit=unit, school_year=school_year, regime=regime)
    bd01 = shift.bd01_hours if shift else regime.bd01_hours
    bd02 = shift.bd02_hours if shift else regime.bd02_hours
    return Hours(
        bd01=bd01,
        bd02=bd02,
        bd03=regime.bd03_hours,
        total=bd01 + bd02 + regime.bd03_hours,
        regime=regime,
        shift=shift,
    )


def regime_for_year_or_none(school_year: SchoolYear) -> Regime | None:
    try:
        return regime_for_year(school_year)
    except Regime.DoesNotExist:
        return None


def hours_shift_list(*, scope: Scope, school_year: SchoolYear) -> QuerySet[HoursShift]:
    """Splits of a year set in the subtrees where the viewer manages content."""
    return (
        HoursShift.objects.visible_to(scope, Perm.CONTENT_MANAGE)
        .filter(school_year_id=school_year.pk)
        .select_related("unit")
        .order_by("unit__name")
    )
