"""Reads of the organisation tree, always through the viewer's scope."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_ids, ancestor_paths
from bdtx.organisations.models import Unit, UnitKind, UnitPlacement


def unit_list(
    *, scope: Scope, kind: str | None = None, under: Unit | None = None, q: str = "", difficult: str = ""
) -> QuerySet[Unit]:
    """Units the scope may see, filtered by kind, subtree, name/code text and difficult area."""
    qs = Unit.objects.visible_to(scope).select_related("parent")
    if kind:
        qs = qs.filter(kind=kind)
    if under is not None:
        qs = qs.within(under.path)
    if q:
        qs = qs.search(q)
    if difficult in ("0", "1"):
        qs = qs.filter(difficult_area=difficult == "1")
    return qs.order_by("depth", "name")


def unit_get(*, scope: Scope, uuid: str) -> Unit:
    """One visible unit, or Unit.DoesNotExist (→ 404)."""
    return Unit.objects.visible_to(scope).select_related("parent").get(uuid=uuid)


UNIT_CHOICES_LIMIT = 300


def unit_choices(*, scope: Scope, include: Unit | None = None) -> list[Unit]:
    """Units to offer in a filter: offices always, schools too while the list stays short.

    A Sở or the ministry sees thousands of schools: they pick an office here and reach a
    school from its unit page. `include` (the unit being filtered on) is always offered.
    """
    qs = (
        Unit.objects.visible_to(scope).active().exclude(kind=UnitKind.INSTITUTION).only("uuid", "name", "kind", "depth")
    )
    units = list(qs.order_by("depth", "name")[: UNIT_CHOICES_LIMIT + 1])
    if len(units) > UNIT_CHOICES_LIMIT:
        units = list(
            qs.exclude(kind__in=[UnitKind.SCHOOL, UnitKind.CENTRE]).order_by("depth", "name")[:UNIT_CHOICES_LIMIT]
        )
    if include is not None and include not in units:
        units.insert(0, include)
    return units


def unit_path_on(*, unit: Unit, day: date) -> str | None:
    """The unit's materialised path in the tree in force on `day` (None before it existed)."""
    placement = UnitPlacement.objects.filter(unit=unit).on(day).only("path").first()
    return placement.path if placement else None


def units_under_on(*, unit: Unit, day: date) -> QuerySet[Unit]:
    """Every unit under `unit` (itself included) as the tree stood on `day`.

    One indexed prefix query on the placements of that date: this is how reports for a past
    school year roll up through the parents of that year.
    """
    prefix = unit_path_on(unit=unit, day=day)
    if prefix is None:
        return Unit.objects.none()
    return units_under_path_on(prefix=prefix, day=day)


def in_tree_on_q(prefix: str, day: date, *, through: str = "unit", below_only: bool = False) -> Q:
    """Rows whose unit (reached through `through`) sat under the path `prefix` on `day` — the unit at
    `prefix` itself too, unless `below_only`. For grouped reads of a subtree in that day's tree."""
    p = f"{through}__placements__"
    q = (
        Q(**{f"{p}valid_from__lte": day})
        & (Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gt": day}))
        & Q(**{f"{p}path__startswith": prefix})
    )
    return q & Q(**{f"{p}path__gt": prefix}) if below_only else q


def child_on_path(prefix: str, *, through: str = "unit") -> Case:
    """The id (as text) of the child of the unit at `prefix` that a row under it (reached through
    `through`, filtered by `in_tree_on_q`) falls in; '' for a row at the unit itself. Grouping by it
    gives a subtree's figures per child in one query."""
    path = f"{through}__placements__path"
    start = len(prefix) + 1
    segment = Substr(path, start, StrIndex(Substr(path, start), Value("/")) - 1)
    return Case(When(**{path: prefix}, then=Value("")), default=segment)


def ancestors_where(*, scope: Scope, unit: Unit, perm: str) -> list[Unit]:
    """The units above `unit` where the viewer holds `perm`, from the top: a page's way back up."""
    return list(
        Unit.objects.visible_to(scope, perm)
        .filter(path__in=ancestor_paths(unit.path))
        .exclude(pk=unit.pk)
        .order_by("depth")
    )


def highest_unit_where(*, scope: Scope, perm: str) -> Unit | None:
    """The highest unit where the viewer holds `perm` (by name among equals): where a board opens."""
    paths = scope.paths(perm)
    if not paths:
        return None
    return Unit.objects.filter(path__in=paths).order_by("depth", "name").first()


def units_under_path_on(*, prefix: str, day: date) -> QuerySet[Unit]:
    """Every unit whose path on `day` starts with `prefix` (a unit's path that day): no query yet."""
    return Unit.objects.filter(pk__in=UnitPlacement.objects.on(day).within(prefix).values("unit_id"))


def parent_on(*, unit: Unit, day: date) -> Unit | None:
    placement = UnitPlacement.objects.filter(unit=unit).on(day).select_related("parent").first()
    return placement.parent if placement else None


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    n: int


def unit_scope_summary(*, unit: Unit) -> list[KindCount]:
    """Counts of active units under `unit` by kind (itself excluded), in one grouped query."""
    rows = Unit.objects.within(unit.path).active().exclude(pk=unit.pk).values("kind").annotate(n=Count("pk")).order_by()
    labels = dict(UnitKind.choices)
    order = list(labels)
    return sorted(
        (KindCount(kind=r["kind"], label=str(labels[r["kind"]]), n=r["n"]) for r in rows),
        key=lambda r: order.index(r.kind),
    )


def unit_children_on(*, unit: Unit, day: date) -> QuerySet[Unit]:
    """Units directly under `unit` in the tree in force on `day` (history kept by placements)."""
    ids = UnitPlacement.objects.on(day).filter(parent=unit).values("unit_id")
    return Unit.objects.filter(pk__in=ids).order_by("kind", "name")


def national_unit() -> Unit | None:
    """The ministry: national data (regimes, catalogs, programme 01) is managed over its subtree."""
    return Unit.objects.filter(kind=UnitKind.MINISTRY, dissolved_on__isnull=True).order_by("depth", "pk").first()


def require_national(scope: Scope, permission: str) -> Unit:
    """The ministry unit, if the scope holds `permission` over it (national data); else 403."""
    unit = national_unit()
    if unit is None or not scope.has(permission, unit.path):
        raise PermissionDenied
    return unit


def units_holding(*, scope: Scope, permission: str, kinds: tuple[str, ...] = ()) -> QuerySet[Unit]:
    """Units in force where the viewer holds `permission` at the unit itself (optionally of these kinds)."""
    qs = Unit.objects.filter(pk__in=scope.units_with(permission), dissolved_on__isnull=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("depth", "name")


def departments_managed(*, scope: Scope) -> QuerySet[Unit]:
    """Provincial departments where the viewer holds content management at the department itself."""
    return units_holding(scope=scope, permission=Perm.CONTENT_MANAGE, kinds=(UnitKind.DEPARTMENT,))


def province_of(unit: Unit) -> Unit | None:
    """The Sở above (or at) `unit` in today's tree."""
    return Unit.objects.filter(pk__in=ancestor_ids(unit.path), kind=UnitKind.DEPARTMENT).first()


# --- authority over school years -------------------------------------------------------------

Span = tuple[date, date | None]


def _spans(unit_ids: Iterable[int]) -> dict[int, list[Span]]:
    """Unit id → the (from, to) spans of its placements in the tree (one query)."""
    out: dict[int, list[Span]] = {}
    for unit_id, valid_from, valid_to in UnitPlacement.objects.filter(unit_id__in=list(unit_ids)).values_list(
        "unit_id", "valid_from", "valid_to"
    ):
        out.setdefault(unit_id, []).append((valid_from, valid_to))
    return out


def _stood_in(spans: list[Span], year: SchoolYear) -> bool:
    return any(start <= year.ends_on and (end is None or end > year.starts_on) for start, end in spans)


def school_years_with_authority(*, scope: Scope, permission: str, unit_ids: Iterable[int] = ()) -> list[SchoolYear]:
    """The school years over which the scope holds `permission` (for the units `unit_ids`, when given),
    newest first: from the past up to the next school year (a list is prepared before its year
    starts), those in which a unit where the permission is held stood in the tree — a commune
    created on 01/07/2025 has no authority over 2024-2025 — and every unit of `unit_ids` did too.

    The years an import form offers, and those a staff write accepts.
    """
    ids = list(dict.fromkeys(unit_ids))
    current = SchoolYear.for_date(timezone.localdate())
    years = list(SchoolYear.objects.filter(start_year__lte=current + 1).order_by("-start_year"))
    if ids:
        paths = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "path"))
        if len(paths) < len(ids) or not all(scope.has(permission, p) for p in paths.values()):
            return []
    if scope.is_system:
        held: list[Span] = [(date.min, None)]
        spans = _spans(ids)
    else:
        grants = scope.units_with(permission)
        spans = _spans([*grants, *ids])
        held = [span for unit_id in grants for span in spans.get(unit_id, [])]
    return [y for y in years if _stood_in(held, y) and all(_stood_in(spans.get(i, []), y) for i in ids)]


def has_authority_over_year(*, scope: Scope, permission: str, school_year: SchoolYear, unit_ids: Iterable[int]) -> bool:
    """Whether `school_year` is one of the scope's years for `permission` over every unit of `unit_ids`."""
    years = school_years_with_authority(scope=scope, permission=permission, unit_ids=unit_ids)
    return any(y.pk == school_year.pk for y in years)
