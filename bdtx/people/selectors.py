"""Reads of staff records, always through the viewer's scope."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, Q, QuerySet

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, path_within_q
from bdtx.core.search import search_q
from bdtx.core.text import fold
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import units_under_on
from bdtx.people.models import (
    KINH_CODE,
    Employment,
    Ethnicity,
    Gender,
    Person,
    StaffType,
    difficult_area_q,
    person_search_rank,
)


@dataclass(frozen=True)
class StaffFilter:
    school_year: SchoolYear
    unit: Unit | None = None
    level: str = ""
    position: str = ""
    staff_type: str = ""
    gender: str = ""
    minority: str = ""  # "1" ethnic minority, "0" Kinh; needs the sensitive-data permission
    difficult: str = ""  # "1" / "0": the person's post is (not) in a difficult area (`difficult_area_q`)
    mentor: str = ""
    q: str = ""


def staff_list(*, scope: Scope, f: StaffFilter) -> QuerySet[Employment]:
    """Employments of one school year that the viewer may list, filtered, sorted the Vietnamese way
    (a search: the best matches first, `person_search_rank`)."""
    qs = (
        Employment.objects.visible_to(scope, Perm.PEOPLE_VIEW)
        .filter(school_year=f.school_year)
        .select_related("person", "person__ethnicity", "unit")
    )
    if f.unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=f.unit, school_year=f.school_year).values("pk"))
    if f.level:
        qs = qs.filter(school_level=f.level)
    if f.position:
        qs = qs.filter(position=f.position)
    if f.staff_type:
        qs = qs.filter(staff_type=f.staff_type)
    if f.gender:
        qs = qs.filter(person__gender=f.gender)
    if f.minority in ("0", "1") and scope.sees_sensitive(f.unit.path if f.unit else None):
        kinh = Q(person__ethnicity_id=KINH_CODE)
        qs = qs.filter(~kinh & Q(person__ethnicity__isnull=False)) if f.minority == "1" else qs.filter(kinh)
    if f.difficult in ("0", "1"):
        qs = qs.filter(difficult_area_q(f.difficult == "1"))
    if f.mentor in ("0", "1"):
        qs = qs.filter(is_mentor=f.mentor == "1")
    if f.q:
        # Name, phone, e-mail: never the ID number, or the list would answer "who has this ID?" to
        # roles that may not see ID numbers, and IDs would travel in the address (`person_by_personal_id`).
        qs = qs.filter(search_q(f.q, "person__search_text"))
        return qs.order_by(person_search_rank(f.q, "person__"), "person__sort_key", "person_id")
    return qs.order_by("person__sort_key", "person_id")


def units_under_in_year(*, unit: Unit, school_year: SchoolYear) -> QuerySet[Unit]:
    """Units under `unit` as the tree stood at the end of that school year.

    A school that left a district on 01/07/2025 counts under the district for 2024-2025 and
    under its commune from 2025-2026 on.
    """
    return units_under_on(unit=unit, day=school_year.ends_on)


def person_get(*, scope: Scope, uuid: str) -> Person:
    """One visible person (Person.DoesNotExist → 404)."""
    return Person.objects.visible_to(scope).select_related("ethnicity", "user").get(uuid=uuid)


def person_by_personal_id(*, scope: Scope, personal_id: str) -> Employment | None:
    """The latest work of the person with this ID number among those whose ID numbers the scope may
    see (SENSITIVE_VIEW over the unit), or None: roles that may not see ID numbers find nobody."""
    if not personal_id:
        return None
    return (
        Employment.objects.visible_to(scope, Perm.SENSITIVE_VIEW)
        .filter(person__personal_id=personal_id)
        .select_related("person", "unit")
        .order_by("-school_year_id")
        .first()
    )


def transfer_units(*, scope: Scope, leaving: Unit) -> QuerySet[Unit]:
    """Open schools and centres a person at `leaving` may be transferred to by this scope: those where
    it holds PEOPLE_MANAGE (it must hold it over `leaving` too; `person_transfer` checks)."""
    return (
        Unit.objects.visible_to(scope, Perm.PEOPLE_MANAGE)
        .filter(kind__in=(UnitKind.SCHOOL, UnitKind.CENTRE), dissolved_on__isnull=True)
        .exclude(pk=leaving.pk)
        .order_by("name")
    )


def person_employments(*, person: Person) -> list[Employment]:
    return list(person.employments.select_related("unit", "unit__parent").order_by("-school_year_id"))


def person_current_employment(*, person: Person, school_year: SchoolYear | None = None) -> Employment | None:
    qs = person.employments.select_related("unit")
    if school_year is not None:
        return qs.filter(school_year=school_year).first()
    return qs.order_by("-school_year_id").first()


@dataclass(frozen=True)
class StaffCounts:
    """Head counts of staff in one school year."""

    total: int
    teachers: int
    managers: int
    female: int
    mentors: int
    difficult: int  # working in a difficult area (their post's, else their unit's value)


def staff_counts(*, scope: Scope, school_year: SchoolYear, unit: Unit | None = None) -> StaffCounts:
    """Head counts for a landing page, computed by the database in one query."""
    qs = Employment.objects.visible_to(scope, Perm.PEOPLE_VIEW).filter(school_year=school_year)
    if unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=unit, school_year=school_year).values("pk"))
    return StaffCounts(
        **qs.aggregate(
            total=Count("pk"),
            teachers=Count("pk", filter=Q(staff_type=StaffType.TEACHER)),
            managers=Count("pk", filter=Q(staff_type=StaffType.MANAGER)),
            female=Count("pk", filter=Q(person__gender=Gender.FEMALE)),
            mentors=Count("pk", filter=Q(is_mentor=True)),
            difficult=Count("pk", filter=difficult_area_q()),
        )
    )


def ethnicity_index() -> dict[str, str]:
    """Folded name or variant (no spaces, hyphens, apostrophes) → ethnicity code, for imports."""
    index: dict[str, str] = {}
    for e in Ethnicity.objects.all():
        for name in [e.name, e.code, str(int(e.code)), *e.aliases.split(";")]:
            if name.strip():
                index[ethnicity_key(name)] = e.code
    return index


def ethnicity_list() -> list[tuple[str, str]]:
    """(code, name) of the 54 ethnic groups, for the import template."""
    return list(Ethnicity.objects.order_by("code").values_list("code", "name"))


def ethnicity_key(name: str) -> str:
    folded = fold(name)
    for prefix in ("dan toc ", "dt "):
        if folded.startswith(prefix):
            folded = folded[len(prefix) :]
    return "".join(ch for ch in folded if ch.isalnum())


# --- who may change a person ------------------------------------------------------------------

LOOKUP_CHUNK = 5000


def _held(jobs: list[tuple[int, str]], *, scope: Scope, permission: str, school_year: SchoolYear) -> bool:
    """Whether a person with these (school year, unit path) employments is out of the scope's reach.

    A person belongs to whoever employs them. The scope may change them when every employment it
    does not cover came before they joined it: moved in by a transfer, their years elsewhere all
    precede both their first year in the scope and the year being written. Anyone else employed
    outside the scope, in any year, is held elsewhere — and so is a person with no employment.
    """
    outside = [year for year, path in jobs if not scope.has(permission, path)]
    if not jobs:
        return True
    if not outside:
        return False
    inside = [year for year, path in jobs if scope.has(permission, path)]
    last_elsewhere = max(outside)
    return not (inside and last_elsewhere < min(inside) and last_elsewhere < school_year.start_year)


def _held_keys(field: str, keys: list[Any], *, scope: Scope, permission: str, school_year: SchoolYear) -> set[Any]:
    """The values of the person's `field` (pk, personal_id) among `keys` of people held elsewhere.

    Only people with an employment outside the scope, or none at all, can be held elsewhere: they are
    found first (a re-import of a school's own staff finds none), then their whole history is read.
    """
    vendor = connections[Person.objects.db].vendor
    inside = path_within_q("unit__path", scope.paths(permission), vendor)
    held: set[Any] = set()
    for i in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[i : i + LOOKUP_CHUNK]
        candidates = set(
            Employment.objects.filter(**{f"person__{field}__in": chunk})
            .exclude(inside)
            .order_by()
            .values_list(f"person__{field}", flat=True)
        )
        candidates |= set(
            Person.objects.filter(**{f"{field}__in": chunk}, employments__isnull=True).values_list(field, flat=True)
        )
        if not candidates:
            continue
        jobs: dict[Any, list[tuple[int, str]]] = {}
        rows = (
            Person.objects.filter(**{f"{field}__in": sorted(candidates)})
            .order_by()
            .values_list(field, "employments__school_year_id", "employments__unit__path")
        )
        for key, year, path in rows:  # a person without any employment comes once, with None
            found = jobs.setdefault(key, [])
            if year is not None:
                found.append((year, path))
        held |= {k for k, j in jobs.items() if _held(j, scope=scope, permission=permission, school_year=school_year)}
    return held


def people_held_elsewhere(
    *, scope: Scope, permission: str, school_year: SchoolYear, person_ids: Iterable[int]
) -> set[int]:
    """The people among `person_ids` whom the scope may not change when writing `school_year`
    (`_held`): employed, in any year, at a unit where it does not hold `permission`."""
    ids = sorted(set(person_ids))
    if scope.is_system or not ids:
        return set()
    return _held_keys("pk", ids, scope=scope, permission=permission, school_year=school_year)


def personal_ids_held_elsewhere(
    *, scope: Scope, permission: str, school_year: SchoolYear, personal_ids: Iterable[str]
) -> set[str]:
    """The ID numbers among `personal_ids` that belong to people the scope may not change (an ID
    nobody has is not among them)."""
    ids = sorted({p for p in personal_ids if p})
    if scope.is_system or not ids:
        return set()
    return _held_keys("personal_id", ids, scope=scope, permission=permission, school_year=school_year)
