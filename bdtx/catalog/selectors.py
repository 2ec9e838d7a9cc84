"""Reads of programme content, focus modules and the module catalogs."""

from django.db.models import Q

from bdtx.catalog.models import FocusModule, Module, ProgrammeContent
from bdtx.core.models import SchoolYear
from bdtx.organisations.models import Unit
from bdtx.regimes.models import Programme
from bdtx.regimes.selectors import ancestor_paths, start_year_of


def content_for(
    *, unit: Unit, school_year: SchoolYear | int, audience: str, school_level: str
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
            school_year_id=start_year_of(school_year),
            programme__in=[Programme.BD01, Programme.BD02],
        )
        .select_related("unit")
        .order_by("programme", "unit__depth", "position", "id")
    )
    out: dict[str, list[ProgrammeContent]] = {Programme.BD01: [], Programme.BD02: []}
    for item in qs:
        out[item.programme].append(item)
    return out


def focus_modules_for(*, unit: Unit, school_year: SchoolYear | int, audience: str, school_level: str) -> list[Module]:
    """The programme 03 modules the unit's province wants people of this audience and level to take.

    Ordered by the province's priority (first = most wanted); each module once, only modules of
    the person's audience that are in force in the school year.
    """
    year = start_year_of(school_year)
    focus = (
        FocusModule.objects.filter(
            Q(school_level="") | Q(school_level=school_level),
            unit__path__in=ancestor_paths(unit.path),
            school_year_id=year,
            module__audience=audience,
            module__in=Module.objects.in_force(year),
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
