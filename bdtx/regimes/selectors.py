"""Reads of the regimes: which rules hold in a school year, and how many periods a unit's people owe."""

from typing import TypedDict

from django.db.models import QuerySet

from bdtx.accounts.models import Perm
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.organisations.models import Unit, UnitKind
from bdtx.regimes.models import HoursShift, Regime


class Hours(TypedDict):
    bd01: int
    bd02: int
    bd03: int
    total: int
    regime: Regime
    shift: HoursShift | None  # the split that applies, None when the regime's own split does


def start_year_of(school_year: SchoolYear | int) -> int:
    """A school year given as a row or as its start year → its start year."""
    return school_year.start_year if isinstance(school_year, SchoolYear) else int(school_year)


def ancestor_paths(path: str) -> list[str]:
    """'/1/5/42/' → ['/1/', '/1/5/', '/1/5/42/'] (the unit itself last)."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def national_unit() -> Unit | None:
    """The ministry: national data (regimes, catalogs, programme 01) is managed over its subtree."""
    return Unit.objects.filter(kind=UnitKind.MINISTRY, dissolved_on__isnull=True).order_by("depth", "pk").first()


def holds_at(scope: Scope, permission: str, unit: Unit) -> bool:
    """True if a grant held AT `unit` itself (not above it) gives `permission`: the unit's own staff."""
    return any(g.subtree and g.unit_id == unit.pk and permission in g.permissions for g in scope.grants)


def regime_for_year(school_year: SchoolYear | int) -> Regime:
    """The regime in force in a school year (Regime.DoesNotExist when none covers it)."""
    return Regime.objects.for_year(start_year_of(school_year))


def regime_list() -> QuerySet[Regime]:
    """Every regime, oldest first (regimes are national data: anyone may read them)."""
    return Regime.objects.order_by("first_year")


def hours_shift_applying(*, unit: Unit, school_year: SchoolYear | int, regime: Regime) -> HoursShift | None:
    """The split of the nearest ancestor (or the unit itself) for the year, if the regime allows it.

    One query for all the ancestors. A split that no longer fits the regime (an administrator
    changed the regime's periods after the province set it) is ignored: the regime's own split holds.
    """
    if not regime.shiftable_01_02:
        return None
    shifts = (
        HoursShift.objects.filter(unit__path__in=ancestor_paths(unit.path), school_year_id=start_year_of(school_year))
        .select_related("unit")
        .order_by("-unit__depth")
    )
    for shift in shifts:
        if shift.bd01_hours + shift.bd02_hours == regime.bd01_hours + regime.bd02_hours:
            return shift
    return None


def hours_for(*, unit: Unit, school_year: SchoolYear | int) -> Hours:
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


def regime_for_year_or_none(school_year: SchoolYear | int) -> Regime | None:
    try:
        return regime_for_year(school_year)
    except Regime.DoesNotExist:
        return None


def year_from(raw: str | None, *, default: SchoolYear) -> int:
    """A school year from a query parameter ('2025'), or the default when it is missing or unknown."""
    try:
        year = int(raw or "")
    except ValueError:
        return default.start_year
    return year if SchoolYear.objects.filter(start_year=year).exists() else default.start_year


def departments_managed(*, scope: Scope) -> QuerySet[Unit]:
    """Provincial departments where the viewer holds content management at the department itself."""
    ids = [g.unit_id for g in scope.grants if g.subtree and Perm.CONTENT_MANAGE in g.permissions]
    return Unit.objects.filter(pk__in=ids, kind=UnitKind.DEPARTMENT, dissolved_on__isnull=True).order_by("name")


def hours_shift_list(*, scope: Scope, school_year: SchoolYear | int) -> QuerySet[HoursShift]:
    """Splits of a year set in the subtrees where the viewer manages content."""
    return (
        HoursShift.objects.visible_to(scope, Perm.CONTENT_MANAGE)
        .filter(school_year_id=start_year_of(school_year))
        .select_related("unit")
        .order_by("unit__name")
    )
