"""Reads of programme content, focus modules and the module catalogs."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Count,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from bdtx.catalog.models import (
    Catalog,
    Confidence,
    FocusModule,
    Material,
    Module,
    ModuleLocalHours,
    ProgrammeContent,
)
from bdtx.core.models import SchoolYear, in_force_q
from bdtx.core.scope import Perm, Scope, ancestor_paths, path_within_q
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.organisations.selectors import departments_managed, national_unit, units_holding
from bdtx.people.models import Audience, Employment
from bdtx.regimes.models import Programme, Regime
from bdtx.regimes.selectors import Hours, hours_for
from bdtx.standards.models import Criterion
from bdtx.standards.selectors import framework_in_force


def content_for(
    *, unit: Unit, school_year: SchoolYear, audience: str, school_level: str
) -> dict[str, list[ProgrammeContent]]:
    """The programme 01 and 02 topics the people of `unit` with this audience and level must study.

    Programme 01 comes from the ministry, programme 02 from the unit's province (content set by
    any ancestor applies; another province's never does). Topics without an audience or a level
    apply to everyone. Returns {"BD01": [...], "BD02": [...]} in the order the authorities gave.
    """
    qs = (
        ProgrammeContent.objects.applying_to(unit.path)
        .filter(
            Q(audience="") | Q(audience=audience),
            Q(school_level="") | Q(school_level=school_level),
            school_year_id=school_year.pk,
            programme__in=[Programme.BD01, Programme.BD02],
        )
        .select_related("unit")
        .order_by("programme", "unit__depth", "position", "id")
    )
    out: dict[str, list[ProgrammeContent]] = {Programme.BD01: [], Programme.BD02: []}
    for item in qs:
        out[item.programme].append(item)
    return out


def focus_modules_for(*, unit: Unit, school_year: SchoolYear, audience: str, school_level: str) -> list[Module]:
    """The programme 03 modules the unit's province wants people of this audience and level to take.

    Ordered by the province's priority (first = most wanted); each module once, only modules of
    the person's audience that are in force in the school year.
    """
    year = school_year.pk
    focus = (
        FocusModule.objects.filter(
            Q(school_level="") | Q(school_level=school_level),
            unit__path__in=ancestor_paths(unit.path),
            school_year_id=year,
            module__audience=audience,
            module__in=Module.objects.in_force(school_year),
        )
        .select_related("module", "module__catalog")
        .order_by("priority", "unit__depth", "id")
    )
    seen: set[int] = set()
    modules: list[Module] = []
    for f in focus:
        if f.module_id not in seen:
            seen.add(f.module_id)
            modules.append(f.module)
    return modules


# --- visibility of unit-owned catalog rows -----------------------------------------------------


def _applying_or_within_q(scope: Scope, field: str, *, vendor: str) -> Q:
    """Rows set by an ancestor of (or at) any unit where the viewer holds a role, or inside their subtrees.

    A teacher sees the ministry's and their own province's rows; a department also sees its
    subtree's; the ministry sees everything. Another province's rows never match.
    """
    ancestors = scope.ancestor_paths()
    return Q(**{f"{field}__in": ancestors}) | path_within_q(field, scope.paths(), vendor)


def content_visible(*, scope: Scope) -> QuerySet[ProgrammeContent]:
    qs = ProgrammeContent.objects.all()
    return qs.filter(_applying_or_within_q(scope, "unit__path", vendor=connections[qs.db].vendor))


def content_list(
    *, scope: Scope, school_year: SchoolYear, level: str = "", audience: str = ""
) -> QuerySet[ProgrammeContent]:
    """Programme content of a school year the viewer may see, filtered by level and audience.

    A filter keeps the topics for everyone (no level, no audience) as they apply too.
    """
    qs = content_visible(scope=scope).filter(school_year=school_year).select_related("unit")
    if level:
        qs = qs.filter(Q(school_level="") | Q(school_level=level))
    if audience:
        qs = qs.filter(Q(audience="") | Q(audience=audience))
    return qs.order_by("programme", "unit__depth", "unit__name", "position", "id")


def content_get(*, scope: Scope, uuid: str) -> ProgrammeContent:
    """One topic the viewer may see (DoesNotExist → 404 otherwise)."""
    return content_visible(scope=scope).select_related("unit").get(uuid=uuid)


def focus_visible(*, scope: Scope) -> QuerySet[FocusModule]:
    qs = FocusModule.objects.all()
    return qs.filter(_applying_or_within_q(scope, "unit__path", vendor=connections[qs.db].vendor))


def focus_list(*, scope: Scope, school_year: SchoolYear, level: str = "", audience: str = "") -> QuerySet[FocusModule]:
    qs = focus_visible(scope=scope).filter(school_year=school_year)
    if level:
        qs = qs.filter(Q(school_level="") | Q(school_level=level))
    if audience:
        qs = qs.filter(module__audience=audience)
    hours = effective_hours(school_year=school_year, through="module", unit_ref="unit_id")
    return (
        qs.select_related("unit", "module", "module__catalog")
        .annotate(module_hours=hours)
        .order_by("unit__name", "module__audience", "school_level", "priority", "id")
    )


def focus_get(*, scope: Scope, uuid: str) -> FocusModule:
    return focus_visible(scope=scope).select_related("unit", "module").get(uuid=uuid)


def material_visible(*, scope: Scope) -> QuerySet[Material]:
    """The ministry's materials are for everyone signed in; a province's for its people and managers."""
    qs = Material.objects.all()
    return qs.filter(
        Q(unit__kind=UnitKind.MINISTRY) | _applying_or_within_q(scope, "unit__path", vendor=connections[qs.db].vendor)
    )


def materials_for(*, scope: Scope, module: Module) -> QuerySet[Material]:
    return material_visible(scope=scope).filter(module=module).select_related("unit").order_by("position", "id")


def material_get(*, scope: Scope, uuid: str) -> Material:
    return material_visible(scope=scope).select_related("unit", "module").get(uuid=uuid)


# --- catalogs and modules (national data: everyone signed in may read them) --------------------


@dataclass(frozen=True)
class ModuleFilter:
    school_year: SchoolYear
    catalog: Catalog | None = None
    audience: str = ""
    level: str = ""
    q: str = ""


def module_list(*, f: ModuleFilter) -> QuerySet[Module]:
    """Modules in force in the school year, filtered; one query with their catalogs."""
    qs = Module.objects.in_force(f.school_year).select_related("catalog")
    if f.catalog is not None:
        qs = qs.filter(catalog=f.catalog)
    if f.audience:
        qs = qs.filter(audience=f.audience)
    if f.level:
        qs = qs.filter(Q(levels="") | Q(levels__contains=f",{f.level},"))
        preschool = [Audience.GVMN, Audience.QLMN]
        qs = qs.filter(audience__in=preschool) if f.level == SchoolLevel.MN else qs.exclude(audience__in=preschool)
    if f.q:
        qs = qs.search(f.q)
    return qs.order_by("catalog__code", "code")


def module_get(*, uuid: str) -> Module:
    return Module.objects.select_related("catalog").prefetch_related("criteria__standard__framework").get(uuid=uuid)


def catalog_list(*, school_year: SchoolYear | None = None) -> list[Catalog]:
    """Catalogs with their module counts (those in force in `school_year` when given), newest first."""
    qs = Catalog.objects.annotate(
        module_count=Count("modules", filter=Q(modules__active=True)),
        unverified_count=Count("modules", filter=~Q(modules__confidence=Confidence.VERIFIED)),
    )
    if school_year is not None:
        qs = qs.in_force(school_year)
    return list(qs.order_by("audience", "-first_year", "code"))


def catalog_get(*, uuid: str) -> Catalog:
    return Catalog.objects.get(uuid=uuid)


def catalog_modules_for_export(*, catalog: Catalog) -> list[Module]:
    return list(catalog.modules.order_by("code").prefetch_related("criteria"))


# --- do a level's topics add up to the programme's periods? ------------------------------------


GENERAL_LEVELS = (SchoolLevel.MN, SchoolLevel.TH, SchoolLevel.THCS, SchoolLevel.THPT)


@dataclass(frozen=True)
class HoursGap:
    programme: str
    level: str
    audience: str
    hours: int
    expected: int


def content_hours_check(
    *,
    items: list[ProgrammeContent],
    anchor: Unit,
    school_year: SchoolYear,
    programmes: tuple[str, ...],
    level: str = "",
    audience: str = "",
) -> list[HoursGap]:
    """Where the topics that apply to `anchor`'s people don't add up to the periods they owe.

    Checked per programme for each level and audience the topics name (or once, for everyone,
    when none does), against `hours_for(anchor)`: a province's split counts for its province.
    """
    try:
        hours = hours_for(unit=anchor, school_year=school_year)
    except Regime.DoesNotExist:
        return []
    applying = set(ancestor_paths(anchor.path))
    relevant = [i for i in items if i.unit.path in applying and i.programme in programmes]
    named = {i.school_level for i in relevant if i.school_level}
    # Once some topics name a level, every level must add up, also those no topic names.
    levels = sorted(named | set(GENERAL_LEVELS)) if named else [""]
    if anchor.level_list:
        levels = [lv for lv in anchor.level_list if lv in SchoolLevel.values]
    if level:
        levels = [level]
    audiences = [audience] if audience else sorted({i.audience for i in relevant if i.audience}) or [""]
    gaps: list[HoursGap] = []
    for programme in programmes:
        expected = hours["bd01"] if programme == Programme.BD01 else hours["bd02"]
        for lv in levels:
            for aud in audiences:
                if not Audience.fits_level(aud, lv):
                    continue
                total = sum(
                    i.hours
                    for i in relevant
                    if i.programme == programme and i.school_level in ("", lv) and i.audience in ("", aud)
                )
                if total != expected:
                    gaps.append(HoursGap(programme, lv, aud, total, expected))
    return gaps


def content_anchor(*, scope: Scope, writable: list[str]) -> tuple[Unit | None, tuple[str, ...]]:
    """Whose periods the content page checks, and which programmes.

    A department checks the ministry's programme 01 and its own programme 02 against its split;
    the ministry its programme 01 against the regime; anyone else the unit where they hold a role —
    a training institution's staff the authority contracting it, whose people they teach.
    """
    if Programme.BD02 in writable:
        return departments_managed(scope=scope).first(), (Programme.BD01, Programme.BD02)
    if Programme.BD01 in writable:
        return national_unit(), (Programme.BD01,)
    ids = scope.units_with()
    if not ids:
        return None, ()
    unit = Unit.objects.filter(pk=ids[0]).select_related("parent").first()
    if unit is not None and unit.kind == UnitKind.INSTITUTION and unit.parent is not None:
        unit = unit.parent
    return unit, (Programme.BD01, Programme.BD02)


def hours_or_none(*, unit: Unit, school_year: SchoolYear) -> Hours | None:
    try:
        return hours_for(unit=unit, school_year=school_year)
    except Regime.DoesNotExist:
        return None


def framework_criteria(*, audience: str, school_year: SchoolYear) -> dict[int, int] | None:
    """Criterion number → id in the standard of `audience` in force in that year (None if none is loaded)."""
    framework = framework_in_force(audience=audience, school_year=school_year)
    if framework is None:
        return None
    return dict(Criterion.objects.filter(standard__framework=framework).values_list("number", "id"))


def framework_criteria_list(*, audience: str, school_year: SchoolYear) -> QuerySet[Criterion]:
    framework = framework_in_force(audience=audience, school_year=school_year)
    if framework is None:
        return Criterion.objects.none()
    return Criterion.objects.filter(standard__framework=framework).select_related("standard").order_by("number")


def content_defaults(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> dict[str, str]:
    """The level and audience a school's people most likely want to see: their own."""
    out: dict[str, str] = {}
    if len(unit.level_list) == 1:
        out["level"] = unit.level_list[0]
    if scope.person_id:
        employment = (
            Employment.objects.filter(person_id=scope.person_id, school_year=school_year)
            .only("staff_type", "school_level")
            .first()
        )
        if employment is not None:
            level = employment.school_level or out.get("level", "")
            if level:
                out["level"] = level
                out["audience"] = Audience.for_staff(staff_type=employment.staff_type, school_level=level)
    return out


def material_unit_for(scope: Scope) -> Unit | None:
    """The unit a new material belongs to: the highest unit where the actor manages catalogs."""
    ids = scope.units_with(Perm.CATALOG_MANAGE)
    return Unit.objects.filter(pk=ids[0]).first() if ids else None


# --- the periods of a module: the ministry's, else the province's ------------------------------
#
# The catalog of a circular gives most modules their periods; where it does not (13 of the 15
# GVPT modules of TT 17/2019 in the shipped data), a Sở may set them for its province
# (`ModuleLocalHours`). Every count of a module's periods for a person goes through
# `effective_hours`: the ministry's, else those of the person's province for the year, else none
# ("chưa có số tiết": the module cannot count toward programme 03).


def _local_hours(*, ref: str, school_year: SchoolYear, paths: list[str] | None = None, unit_ref: str = "") -> Subquery:
    """The province's periods of the module at `ref` for the year: of a province on `paths`, or of
    the unit at `unit_ref` (a field of the outer query)."""
    rows = ModuleLocalHours.objects.filter(in_force_q(school_year), module=OuterRef(ref))
    rows = rows.filter(unit=OuterRef(unit_ref)) if unit_ref else rows.filter(unit__path__in=paths or [])
    return Subquery(rows.order_by("-unit__depth", "pk").values("hours")[:1], output_field=PositiveSmallIntegerField())


def effective_hours(
    *, school_year: SchoolYear, paths: list[str] | None = None, through: str = "", unit_ref: str = ""
) -> Coalesce:
    """The periods of a module as an expression of the query: the ministry's, else those the
    province gives it for the school year, else NULL. The province is the one on `paths` (the
    ancestor paths of a person's unit), or the unit at `unit_ref` (a focus module's Sở).
    `through`: the module's foreign key when the query is not on modules ("module" for plan items)."""
    national = F(f"{through}__hours_total" if through else "hours_total")
    ref = f"{through}_id" if through else "pk"
    return Coalesce(national, _local_hours(ref=ref, school_year=school_year, paths=paths, unit_ref=unit_ref))


def with_effective_hours(
    qs: QuerySet[Module], *, school_year: SchoolYear, unit: Unit | None = None, paths: list[str] | None = None
) -> QuerySet[Module]:
    """`qs` with `local_hours` (the province's periods of the year) and `effective_hours` (the
    ministry's, else the province's) annotated, for people of `unit` (or under `paths`): one query
    whatever the number of modules."""
    where = ancestor_paths(unit.path) if unit is not None else list(paths or [])
    return qs.annotate(  # type: ignore[no-redef]  # the attributes are declared on Module for its readers
        local_hours=_local_hours(ref="pk", paths=where, school_year=school_year),
        effective_hours=effective_hours(paths=where, school_year=school_year),
    )


def module_effective_hours(*, module: Module, unit: Unit, school_year: SchoolYear) -> int | None:
    """The periods `module` counts for a person of `unit` in the year (None: not known yet)."""
    if module.hours_total is not None:
        return module.hours_total
    hours = effective_hours(paths=ancestor_paths(unit.path), school_year=school_year)
    return Module.objects.filter(pk=module.pk).annotate(hours=hours).values_list("hours", flat=True).first()


def module_local_hours_for(*, scope: Scope, module: Module, school_year: SchoolYear) -> ModuleLocalHours | None:
    """The periods the viewer's province gives `module` in the year (None when it gives none, or
    when the ministry's catalog gives the module periods: those count)."""
    if module.hours_total is not None:
        return None
    return (
        ModuleLocalHours.objects.filter(module=module, unit__path__in=scope.ancestor_paths())
        .in_force(school_year)
        .select_related("unit")
        .order_by("-unit__depth", "pk")
        .first()
    )


def province_for_scope(*, scope: Scope) -> Unit | None:
    """The province whose module periods the viewer sets: the first Sở where they hold catalog
    management at the Sở itself (None for everyone else)."""
    return units_holding(scope=scope, permission=Perm.CATALOG_MANAGE, kinds=(UnitKind.DEPARTMENT,)).first()


def local_hours_province_get(*, scope: Scope, uuid: str) -> Unit:
    """A province whose module periods the viewer may reach: the province above their own units, or
    one in their subtree (DoesNotExist → 404 otherwise, e.g. another province's)."""
    qs = Unit.objects.filter(kind=UnitKind.DEPARTMENT)
    return qs.filter(
        Q(path__in=scope.ancestor_paths()) | path_within_q("path", scope.paths(), connections[qs.db].vendor)
    ).get(uuid=uuid)


@dataclass(frozen=True)
class LocalHoursLine:
    module: Module  # a module in force without the ministry's periods
    local: ModuleLocalHours | None  # the province's periods of the year, if it set them


@dataclass(frozen=True)
class LocalHoursPage:
    """The province's page of module periods for one school year."""

    lines: list[LocalHoursLine]
    overridden: list[ModuleLocalHours]  # the province's periods of modules the ministry has given periods since

    @property
    def set_count(self) -> int:
        return sum(1 for line in self.lines if line.local is not None)


def local_hours_page(*, province: Unit, school_year: SchoolYear, audience: str = "") -> LocalHoursPage:
    """Modules in force in the year that the ministry's catalog gives no periods, by catalog and code,
    each with the province's periods of the year when it set them; and the province's periods that
    no longer count because the ministry's catalog now gives the module periods. Three queries."""
    rows = ModuleLocalHours.objects.filter(unit=province).in_force(school_year).select_related("set_by__person")
    modules = (
        Module.objects.in_force(school_year)
        .filter(hours_total__isnull=True)
        .select_related("catalog")
        .prefetch_related(Prefetch("local_hours_set", queryset=rows, to_attr="local_rows"))
        .order_by("catalog__audience", "catalog__code", "code")
    )
    if audience:
        modules = modules.filter(audience=audience)
    lines = [LocalHoursLine(module=m, local=next(iter(m.local_rows), None)) for m in modules]
    overridden = list(
        rows.filter(module__hours_total__isnull=False)
        .select_related("module", "module__catalog")
        .order_by("module__catalog__code", "module__code")
    )
    return LocalHoursPage(lines=lines, overridden=overridden)
