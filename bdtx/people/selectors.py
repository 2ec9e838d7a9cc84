"""Reads of staff records, always through the viewer's scope."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.search import search_q
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import units_under_on
from bdtx.people.models import KINH_CODE, Employment, Ethnicity, Gender, Person, StaffType


@dataclass(frozen=True)
class StaffFilter:
    school_year: SchoolYear
    unit: Unit | None = None
    level: str = ""
    position: str = ""
    staff_type: str = ""
    gender: str = ""
    minority: str = ""  # "1" ethnic minority, "0" Kinh; needs the sensitive-data permission
    difficult: str = ""  # "1" / "0"
    mentor: str = ""
    q: str = ""


def staff_list(*, scope: Scope, f: StaffFilter) -> QuerySet[Employment]:
    """Employments of one school year that the viewer may list, filtered, sorted the Vietnamese way."""
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
        qs = qs.filter(unit__difficult_area=f.difficult == "1")
    if f.mentor in ("0", "1"):
        qs = qs.filter(is_mentor=f.mentor == "1")
    if f.q:
        # Name, phone, e-mail: never the ID number, or the list would answer "who has this ID?" to
        # roles that may not see ID numbers, and IDs would travel in the address.
        qs = qs.filter(search_q(f.q, "person__search_text"))
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
    difficult: int  # working in a difficult area


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
            difficult=Count("pk", filter=Q(unit__difficult_area=True)),
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
