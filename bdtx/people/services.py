"""Writes to staff records. Each checks the scope it is given, runs in a transaction and leaves audit entries."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.bulk import bulk_insert, bulk_insert_values, bulk_update_fields
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import _plain, audit_record, diff, snapshot
from bdtx.core.text import fold, nfc
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import has_authority_over_year
from bdtx.people.audit import AS_THE_UNIT
from bdtx.people.models import Employment, Ethnicity, Person, Position, StaffType
from bdtx.people.selectors import people_held_elsewhere
from bdtx.people.validators import personal_id_problem

PERSON_FIELDS = [
    "family_name",
    "middle_name",
    "given_name",
    "gender",
    "date_of_birth",
    "ethnicity_id",
    "personal_id",
    "phone",
    "email",
]
EMPLOYMENT_FIELDS = [
    "unit_id",
    "staff_type",
    "position",
    "school_level",
    "subjects",
    "is_mentor",
    "contract_type",
    "status",
    "difficult_area",
]
SENSITIVE_FIELDS = {"ethnicity_id", "personal_id"}


def _masked(changes: dict[str, list[object]]) -> dict[str, list[object]]:
    """The audit log records that sensitive fields changed, not their values."""
    return {k: (["•••", "•••"] if k in SENSITIVE_FIELDS else v) for k, v in changes.items()}


def _validate_person(person: Person) -> None:
    if person.personal_id:
        problem = personal_id_problem(person.personal_id, gender=person.gender, birth=person.date_of_birth)
        if problem:
            raise ValidationError({"personal_id": problem})
    person.full_clean(exclude=["user", "sort_key", "search_text", "search_given"])


def _employment_snapshot(employment: Employment) -> dict[str, object]:
    """Work details for the audit log: a difficult area "as the unit" (None) is written as such, or
    it would read as empty."""
    values = snapshot(employment, EMPLOYMENT_FIELDS)
    if values["difficult_area"] is None:
        values["difficult_area"] = AS_THE_UNIT
    return values


def default_staff_type(position: str) -> str:
    return StaffType.MANAGER if position in Position.manager_positions() else StaffType.TEACHER


@transaction.atomic
def person_create(
    *, scope: Scope, unit: Unit, school_year: SchoolYear, employment: dict[str, object], **fields: object
) -> Person:
    """Create a person and their employment at `unit` for `school_year` (PEOPLE_MANAGE over the unit)."""
    scope.require(Perm.PEOPLE_MANAGE, unit.path)
    person = Person(**{k: nfc(v) if isinstance(v, str) else v for k, v in fields.items()})
    person.personal_id = person.personal_id or None
    _validate_person(person)
    person.save()
    emp = Employment(person=person, school_year=school_year, unit=unit, **employment)
    emp.full_clean(exclude=["person"])
    emp.save()
    audit_record(
        actor_id=scope.user_id,
        action="person.create",
        obj=person,
        unit_path=unit.path,
        changes=_masked({k: [None, v] for k, v in snapshot(person, PERSON_FIELDS).items() if v}),
    )
    return person


@transaction.atomic
def person_update(*, scope: Scope, person: Person, unit_path: str, **changes: object) -> Person:
    """Change a person's own data; the audit entry masks sensitive values.

    Needs PEOPLE_MANAGE over `unit_path`, a unit the person works (or worked) in, and the person
    must not be held elsewhere (`people_held_elsewhere`): a school never rewrites the name, birth
    date, ethnicity or ID of someone employed at a unit outside its authority.
    """
    scope.require(Perm.PEOPLE_MANAGE, unit_path)
    if not Employment.objects.filter(person=person).within(unit_path).exists():
        raise PermissionDenied
    if people_held_elsewhere(
        scope=scope, permission=Perm.PEOPLE_MANAGE, school_year=_current_year(), person_ids=[person.pk]
    ):
        raise PermissionDenied
    before = snapshot(person, PERSON_FIELDS)
    for name, value in changes.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"person_update cannot change {name}")
        setattr(person, name, nfc(value) if isinstance(value, str) else value)
    person.personal_id = person.personal_id or None
    _validate_person(person)
    person.save()
    audit_record(
        actor_id=scope.user_id,
        action="person.update",
        obj=person,
        unit_path=unit_path,
        changes=_masked(diff(before, snapshot(person, PERSON_FIELDS))),
    )
    return person


@transaction.atomic
def employment_update(*, scope: Scope, employment: Employment, **changes: object) -> Employment:
    """Change one school year's work details, among them whether the post is in a difficult area
    (`difficult_area`: True, False, or None for "as the unit").

    Needs PEOPLE_MANAGE over the unit (and over a new unit) in that school year
    (`has_authority_over_year`).
    """
    scope.require(Perm.PEOPLE_MANAGE, employment.unit.path)
    unit_ids = [employment.unit_id]
    if "unit_id" in changes and changes["unit_id"] != employment.unit_id:
        new_unit = Unit.objects.filter(pk=int(str(changes["unit_id"]))).only("path").first()
        if new_unit is None or not scope.has(Perm.PEOPLE_MANAGE, new_unit.path):
            raise PermissionDenied
        unit_ids.append(new_unit.pk)
    if not scope.is_system and not has_authority_over_year(
        scope=scope, permission=Perm.PEOPLE_MANAGE, school_year=employment.school_year, unit_ids=unit_ids
    ):
        raise PermissionDenied  # a unit's work of a year when another office was over it
    before = _employment_snapshot(employment)
    for name, value in changes.items():
        if name not in EMPLOYMENT_FIELDS:
            raise ValueError(f"employment_update cannot change {name}")
        setattr(employment, name, value)
    employment.full_clean()
    employment.save()
    audit_record(
        actor_id=scope.user_id,
        action="employment.update",
        obj=employment.person,
        object_type="people.employment",
        unit_path=employment.unit.path,
        changes=diff(before, _employment_snapshot(employment)),
    )
    return employment


@transaction.atomic
def person_transfer(*, scope: Scope, person: Person, to_unit: Unit, school_year: SchoolYear) -> Employment:
    """Move a person to `to_unit` from `school_year`: their employment of that year moves there, or,
    without one, a new one starts there with their latest work details. Earlier years stay where they
    were (history), and no identity field (name, birth date, ethnicity, ID, phone) is touched.

    Done by an authority over both sides: PEOPLE_MANAGE over the unit the person leaves and over
    `to_unit`, in `school_year`. A new school that is not such an authority asks one (the office
    above both schools) to do it; it cannot take a person over by importing their ID number.
    """
    scope.require(Perm.PEOPLE_MANAGE, to_unit.path)
    if not to_unit.is_school_like or to_unit.dissolved_on is not None:
        raise ValidationError(_("Choose a school or centre that is open."))
    jobs = list(person.employments.select_related("unit").order_by("-school_year_id"))
    this_year = next((e for e in jobs if e.school_year_id == school_year.pk), None)
    source = this_year or next((e for e in jobs if e.school_year_id < school_year.pk), None)
    if source is None:
        raise ValidationError(_("This person has no work recorded up to this school year: nothing to transfer."))
    scope.require(Perm.PEOPLE_MANAGE, source.unit.path)
    if not has_authority_over_year(
        scope=scope, permission=Perm.PEOPLE_MANAGE, school_year=school_year, unit_ids=[source.unit_id, to_unit.pk]
    ):
        raise PermissionDenied
    if source.unit_id == to_unit.pk:
        raise ValidationError(_("The person already works at this unit in this school year."))
    old_unit = source.unit
    changes: dict[str, object] = {}
    levels = to_unit.level_list
    level = source.school_level if source.school_level in levels or not levels else levels[0]
    if this_year is not None:
        this_year.unit = to_unit
        this_year.school_level = level
        if this_year.difficult_area is not None:  # a new post: as the new unit, whatever the old post was
            changes["difficult_area"] = [this_year.difficult_area, AS_THE_UNIT]
            this_year.difficult_area = None
        this_year.full_clean()
        this_year.save(update_fields=["unit", "school_level", "difficult_area", "updated_at"])
        employment = this_year
    else:
        employment = Employment(
            person=person,
            school_year=school_year,
            unit=to_unit,
            staff_type=source.staff_type,
            position=source.position,
            school_level=level,
            subjects=source.subjects,
            contract_type=source.contract_type,
        )
        employment.full_clean()
        employment.save()
    audit_record(
        actor_id=scope.user_id,
        action="person.transfer",
        obj=person,
        unit_path=to_unit.path,
        changes={"unit": [old_unit.name, to_unit.name], "school_year": school_year.pk, **changes},
    )
    return employment


def _current_year() -> SchoolYear:
    return SchoolYear.of(SchoolYear.for_date(timezone.localdate()))


def sensitive_read_record(
    *, actor_id: int | None, person: Person | None, unit_path: str, what: str, count: int = 1
) -> None:
    """Log that a user was shown ethnicity / ID numbers (Decree 13/2023 on personal data)."""
    audit_record(
        actor_id=actor_id,
        action="sensitive.read",
        obj=person,
        object_type="people.person",
        object_repr=str(person) if person else f"{count}",
        unit_path=unit_path,
        note=what,
    )


@dataclass
class StaffRow:
    """One validated staff record to write (from an import or a form)."""

    family_name: str
    middle_name: str
    given_name: str
    gender: str
    unit_id: int
    date_of_birth: date | None = None
    ethnicity_code: str | None = None
    personal_id: str | None = None
    phone: str = ""
    email: str = ""
    staff_type: str = StaffType.TEACHER
    position: str = Position.TEACHER
    school_level: str = ""
    subjects: str = ""
    is_mentor: bool = False
    contract_type: str = "bien_che"
    status: str = "working"
    difficult_area: bool | None = None  # None: as the unit
    keeps_difficult_area: bool = False  # the file has no such column: an existing employment keeps its value
    extra: dict[str, object] = field(default_factory=dict)


def _audit_row(
    actor_id: int | None, action: str, source: str, person: Person, unit_path: str, note: str
) -> dict[str, object]:
    return {
        "actor_id": actor_id,
        "action": action,
        "source": source,
        "object_type": "people.person",
        "object_uuid": person.uuid,
        "object_repr": str(person)[:255],
        "unit_path": unit_path,
        "changes": {},
        "note": note,
    }


def _name_key(family: str, middle: str, given: str, born: date | None) -> tuple[str, date | None]:
    return fold(f"{family} {middle} {given}"), born


@transaction.atomic
def staff_bulk_upsert(
    *,
    scope: Scope,
    school_year: SchoolYear,
    rows: list[StaffRow],
    source: str = AuditLog.Source.IMPORT,
    note: str = "",
    chunk: int = 2000,
) -> tuple[int, int]:
    """Create or update people and their employment for `school_year`, in bulk.

    A row matches an existing person by personal ID number; without one, by name and date of
    birth among the people employed at the same unit. Returns (created, updated). A row's
    `difficult_area` (None: as the unit) is written unless it `keeps_difficult_area`.

    The scope needs PEOPLE_IMPORT over every unit of the rows, in `school_year`
    (`school_years_with_authority`). It may change only the people it holds
    (`people_held_elsewhere`): a row whose ID number belongs to someone employed outside the scope
    is PermissionDenied and nothing is written (the staff importer refuses such rows first, with a
    message); a name match with such a person is no match, and a new person is created.
    """
    created = updated = 0
    units = {u.pk: u.path for u in Unit.objects.filter(pk__in={r.unit_id for r in rows}).only("pk", "path")}
    if len(units) < len({r.unit_id for r in rows}) or not all(scope.has(Perm.PEOPLE_IMPORT, p) for p in units.values()):
        raise PermissionDenied
    if (
        rows
        and not scope.is_system
        and not has_authority_over_year(
            scope=scope, permission=Perm.PEOPLE_IMPORT, school_year=school_year, unit_ids=units
        )
    ):
        raise PermissionDenied
    actor_id = scope.user_id
    valid_ethnicities = set(Ethnicity.objects.values_list("code", flat=True))
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        ids = [r.personal_id for r in part if r.personal_id]
        # Timestamps are not needed here, and converting them back from the database is slow.
        by_id = {p.personal_id: p for p in Person.objects.filter(personal_id__in=ids).defer("created_at", "updated_at")}
        no_id_units = {r.unit_id for r in part if not r.personal_id}
        by_name: dict[tuple[int, tuple[str, date | None]], Person] = {}
        if no_id_units:
            for emp in Employment.objects.filter(unit_id__in=no_id_units).select_related("person"):
                p = emp.person
                by_name[(emp.unit_id, _name_key(p.family_name, p.middle_name, p.given_name, p.date_of_birth))] = p
        held = people_held_elsewhere(
            scope=scope,
            permission=Perm.PEOPLE_IMPORT,
            school_year=school_year,
            person_ids=[p.pk for p in (*by_id.values(), *by_name.values())],
        )
        if any(p.pk in held for p in by_id.values()):
            raise PermissionDenied
        by_name = {key: p for key, p in by_name.items() if p.pk not in held}
        to_create: list[Person] = []
        create_units: list[int] = []
        to_update: list[Person] = []
        audit: list[dict[str, object]] = []  # written without building model instances (speed)
        row_person: list[Person] = []
        for r in part:
            if r.ethnicity_code and r.ethnicity_code not in valid_ethnicities:
                raise ValidationError(f"unknown ethnicity code {r.ethnicity_code}")
            person = (
                by_id.get(r.personal_id)
                if r.personal_id
                else by_name.get((r.unit_id, _name_key(r.family_name, r.middle_name, r.given_name, r.date_of_birth)))
            )
            values = {
                "family_name": r.family_name,
                "middle_name": r.middle_name,
                "given_name": r.given_name,
                "gender": r.gender,
                "date_of_birth": r.date_of_birth,
                "ethnicity_id": r.ethnicity_code,
                "personal_id": r.personal_id or None,
                "phone": r.phone,
                "email": r.email,
            }
            if person is None:
                person = Person(**values)
                person.refresh_derived()
                to_create.append(person)
                create_units.append(r.unit_id)
                if r.personal_id:
                    by_id[r.personal_id] = person
            else:
                before = [getattr(person, k) for k in PERSON_FIELDS]
                for k, v in values.items():
                    if v not in (None, "") or k in ("middle_name",):
                        setattr(person, k, v)
                person.refresh_derived()
                # snapshot/diff, comparing raw values first: most rows of a re-import change little.
                changes = {
                    k: [_plain(old), _plain(new)]
                    for k, old in zip(PERSON_FIELDS, before, strict=True)
                    if old != (new := getattr(person, k))
                }
                if changes:
                    to_update.append(person)
                    audit.append(_audit_row(actor_id, "person.update", source, person, units[r.unit_id], note))
                    audit[-1]["changes"] = _masked(changes)
                updated += 1
            row_person.append(person)
        bulk_insert(to_create, fetch_pk_by="uuid")
        created += len(to_create)
        for p, unit_id in zip(to_create, create_units, strict=True):
            audit.append(_audit_row(actor_id, "person.create", source, p, units[unit_id], note))
        if to_update:
            bulk_update_fields(to_update, [*PERSON_FIELDS, "sort_key", "search_text", "search_given"])
        existing = {
            e.person_id: e
            for e in Employment.objects.filter(school_year=school_year, person_id__in=[p.pk for p in row_person]).defer(
                "uuid", "created_at", "updated_at"
            )
        }
        emp_create: dict[int, dict[str, object]] = {}  # person id → new employment, as a row
        emp_update: list[Employment] = []
        for r, p in zip(part, row_person, strict=True):
            emp_values = {
                "unit_id": r.unit_id,
                "staff_type": r.staff_type,
                "position": r.position,
                "school_level": r.school_level,
                "subjects": r.subjects,
                "is_mentor": r.is_mentor,
                "contract_type": r.contract_type,
                "status": r.status,
            }
            if not r.keeps_difficult_area:
                emp_values["difficult_area"] = r.difficult_area
            job = existing.get(p.pk)
            if job is not None:
                if any(getattr(job, k) != value for k, value in emp_values.items()):
                    for k, value in emp_values.items():
                        setattr(job, k, value)
                    emp_update.append(job)
            elif p.pk in emp_create:
                emp_create[p.pk].update(emp_values)  # the same person twice in the rows: the last wins
            else:
                emp_create[p.pk] = {
                    "person_id": p.pk,
                    "school_year_id": school_year.pk,
                    "difficult_area": None,
                    **emp_values,
                }
        bulk_insert_values(Employment, list(emp_create.values()))
        bulk_update_fields(emp_update, EMPLOYMENT_FIELDS)
        bulk_insert_values(AuditLog, audit)
    return created, updated
