"""Who may change a person: only who holds them (employed in the scope, in any year), and a move
between schools is a transfer by an authority over both — never an import of someone's ID number.
What a person page shows depends on the year viewed and the viewer's authority in that year."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM, Perm
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.organisations.selectors import has_authority_over_year, school_years_with_authority
from bdtx.people.models import Employment, Person
from bdtx.people.selectors import people_held_elsewhere, personal_ids_held_elsewhere
from bdtx.people.services import StaffRow, person_transfer, person_update, staff_bulk_upsert

pytestmark = pytest.mark.django_db

IDENTITY = [
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


def _identity(person: Person) -> tuple[object, ...]:
    person.refresh_from_db()
    return tuple(getattr(person, f) for f in IDENTITY)


def _jobs(person: Person) -> dict[int, str]:
    return dict(Employment.objects.filter(person=person).values_list("school_year_id", "unit__code"))


def _takeover_row(person: Person, unit_id: int) -> StaffRow:
    """What the probe imported: another school's teacher's ID number, with a new name and data."""
    return StaffRow(
        family_name="Giả",
        middle_name="Mạo",
        given_name="Tên",
        gender=person.gender,
        unit_id=unit_id,
        date_of_birth=date(1970, 1, 1),
        ethnicity_code="05",
        personal_id=person.personal_id,
        phone="0999999999",
    )


def _hire_next_year(person: Person, unit) -> Employment:  # type: ignore[no-untyped-def]
    """The person's work in the next school year, at `unit` (as a transfer accepted for next year leaves it)."""
    return Employment.objects.create(person=person, school_year=SchoolYear.of(school_year_current().pk + 1), unit=unit)


# --- the rule -----------------------------------------------------------------------------------


def test_a_teacher_employed_elsewhere_in_any_year_is_held_elsewhere(world, scope_of):
    teacher_b1 = world.people["teacher_b1"]
    principal = scope_of("principal_a1")
    for year in school_years_with_authority(scope=principal, permission=Perm.PEOPLE_IMPORT):
        held = personal_ids_held_elsewhere(
            scope=principal, permission=Perm.PEOPLE_IMPORT, school_year=year, personal_ids=[teacher_b1.personal_id]
        )
        assert held == {teacher_b1.personal_id}, year
    own = world.people["teacher_a1"]
    assert not people_held_elsewhere(
        scope=principal, permission=Perm.PEOPLE_IMPORT, school_year=school_year_current(), person_ids=[own.pk]
    )


def test_a_person_transferred_in_belongs_to_the_new_school_from_their_first_year_there(world, scope_of):
    year = school_year_current()
    teacher = world.people["teacher_a2"]  # at thcs_a2 this year; moved to th_a1 next year
    _hire_next_year(teacher, world.u("th_a1"))
    Employment.objects.filter(person=teacher, school_year=year).update(school_year_id=year.pk - 1)
    Employment.objects.filter(person=teacher, school_year_id=year.pk + 1).update(school_year_id=year.pk)
    new_school, old_school = scope_of("principal_a1"), scope_of("principal_a2")
    held = {
        y: bool(
            people_held_elsewhere(
                scope=new_school, permission=Perm.PEOPLE_IMPORT, school_year=SchoolYear.of(y), person_ids=[teacher.pk]
            )
        )
        for y in (year.pk - 1, year.pk, year.pk + 1)
    }
    assert held == {year.pk - 1: True, year.pk: False, year.pk + 1: False}
    assert people_held_elsewhere(  # the school they left no longer changes them
        scope=old_school, permission=Perm.PEOPLE_IMPORT, school_year=SchoolYear.of(year.pk - 1), person_ids=[teacher.pk]
    )


def test_a_person_without_any_employment_is_nobodys_to_change(world, scope_of):
    orphan = Person.objects.create(family_name="Không", given_name="Việc", gender="M")
    assert people_held_elsewhere(
        scope=scope_of("so_a"), permission=Perm.PEOPLE_MANAGE, school_year=school_year_current(), person_ids=[orphan.pk]
    ) == {orphan.pk}


# --- staff_bulk_upsert checks it itself ----------------------------------------------------------


def test_bulk_upsert_refuses_another_schools_teacher_in_every_year_and_writes_nothing(world, scope_of):
    teacher_b1 = world.people["teacher_b1"]
    principal = scope_of("principal_a1")
    before = (_identity(teacher_b1), _jobs(teacher_b1), AuditLog.objects.count())
    years = school_years_with_authority(scope=principal, permission=Perm.PEOPLE_IMPORT)
    assert len(years) > 3
    for year in years:
        with pytest.raises(PermissionDenied):
            staff_bulk_upsert(scope=principal, school_year=year, rows=[_takeover_row(teacher_b1, world.u("th_a1").pk)])
        assert (_identity(teacher_b1), _jobs(teacher_b1), AuditLog.objects.count()) == before, year


def test_bulk_upsert_refuses_a_year_outside_the_users_authority(world, scope_of):
    far = SchoolYear.of(school_year_current().pk + 5)
    row = StaffRow(family_name="Mới", middle_name="", given_name="An", gender="M", unit_id=world.u("th_a1").pk)
    with pytest.raises(PermissionDenied):
        staff_bulk_upsert(scope=scope_of("principal_a1"), school_year=far, rows=[row])
    assert not Person.objects.filter(family_name="Mới").exists()


def test_a_name_match_with_someone_held_elsewhere_creates_a_new_person(world, scope_of):
    year = school_year_current()
    teacher = world.people["colleague_a1"]  # worked at th_a1 last year, at th_b1 this year
    Employment.objects.filter(person=teacher).update(school_year_id=year.pk - 1)
    Employment.objects.create(person=teacher, school_year=year, unit=world.u("th_b1"))
    row = StaffRow(
        family_name=teacher.family_name,
        middle_name=teacher.middle_name,
        given_name=teacher.given_name,
        gender=teacher.gender,
        date_of_birth=teacher.date_of_birth,
        unit_id=world.u("th_a1").pk,
        phone="0988000111",
    )
    before = _identity(teacher)
    assert staff_bulk_upsert(scope=scope_of("principal_a1"), school_year=year, rows=[row]) == (1, 0)
    assert _identity(teacher) == before
    assert _jobs(teacher) == {year.pk - 1: "TH-A1", year.pk: "TH-B1"}


def test_a_school_cannot_rewrite_a_teacher_who_moved_elsewhere(world, scope_of):
    year = school_year_current()
    teacher = world.people["colleague_a1"]
    Employment.objects.filter(person=teacher).update(school_year_id=year.pk - 1)
    Employment.objects.create(person=teacher, school_year=year, unit=world.u("th_b1"))
    with pytest.raises(PermissionDenied):
        person_update(scope=scope_of("principal_a1"), person=teacher, unit_path=world.u("th_a1").path, given_name="X")
    person_update(scope=scope_of("principal_b1"), person=teacher, unit_path=world.u("th_b1").path, given_name="Hạnh")
    teacher.refresh_from_db()
    assert teacher.given_name == "Hạnh"


# --- years of authority -------------------------------------------------------------------------


def test_the_years_of_authority_end_with_the_next_school_year_and_start_when_the_unit_stood(world, scope_of):
    current = school_year_current().pk
    years = [y.pk for y in school_years_with_authority(scope=scope_of("principal_a1"), permission=Perm.PEOPLE_IMPORT)]
    assert years[0] == current + 1 and current in years and max(years) < 2035
    assert years == sorted(years, reverse=True) and min(years) == 2012  # the world's units stand since 2000
    # the district office was dissolved on 01/07/2025: a school under it has no authority after that
    assert not has_authority_over_year(
        scope=SYSTEM, permission=Perm.PEOPLE_IMPORT, school_year=SchoolYear.of(2025), unit_ids=[world.u("phong_a").pk]
    )
    assert has_authority_over_year(
        scope=SYSTEM, permission=Perm.PEOPLE_IMPORT, school_year=SchoolYear.of(2024), unit_ids=[world.u("phong_a").pk]
    )
    assert school_years_with_authority(scope=scope_of("ministry"), permission=Perm.PEOPLE_IMPORT) == []
    assert (
        school_years_with_authority(
            scope=scope_of("principal_a1"), permission=Perm.PEOPLE_IMPORT, unit_ids=[world.u("th_b1").pk]
        )
        == []
    )


def test_a_unit_created_on_the_reform_day_has_authority_from_that_school_year_only(world, scope_of):
    from bdtx.accounts.models import Role
    from bdtx.accounts.selectors import scope_for_user
    from bdtx.accounts.services import role_assign
    from bdtx.core.tests.factories import UserFactory
    from bdtx.organisations.models import UnitKind
    from bdtx.organisations.services import unit_create

    commune = unit_create(
        scope=SYSTEM, kind=UnitKind.COMMUNE, name="UBND xã Mới", code="09999", parent=world.u("so_a"),
        valid_from=date(2025, 7, 1),
    )  # fmt: skip
    user = UserFactory(username="xa_moi")
    role_assign(scope=SYSTEM, user=user, unit=commune, role=Role.OFFICE_STAFF)
    years = [y.pk for y in school_years_with_authority(scope=scope_for_user(user), permission=Perm.PEOPLE_IMPORT)]
    assert years == list(range(school_year_current().pk + 1, 2024, -1))


# --- transfers ----------------------------------------------------------------------------------


def test_an_authority_over_both_schools_transfers_a_teacher_without_touching_their_identity(world, scope_of):
    year = school_year_current()
    teacher = world.people["teacher_a1"]
    before = _identity(teacher)
    employment = person_transfer(scope=scope_of("so_a"), person=teacher, to_unit=world.u("thcs_a2"), school_year=year)
    assert employment.unit == world.u("thcs_a2") and _jobs(teacher) == {year.pk: "THCS-A2"}
    assert _identity(teacher) == before
    entry = AuditLog.objects.get(action="person.transfer", object_uuid=teacher.uuid)
    assert entry.changes == {"unit": [world.u("th_a1").name, world.u("thcs_a2").name], "school_year": year.pk}
    # from now on the new school holds the teacher, the old one does not
    principal_a2, principal_a1 = scope_of("principal_a2"), scope_of("principal_a1")
    assert not people_held_elsewhere(
        scope=principal_a2, permission=Perm.PEOPLE_IMPORT, school_year=year, person_ids=[teacher.pk]
    )
    assert people_held_elsewhere(
        scope=principal_a1, permission=Perm.PEOPLE_IMPORT, school_year=year, person_ids=[teacher.pk]
    )


def test_a_transfer_from_next_year_keeps_this_years_work_where_it_is(world, scope_of):
    year = school_year_current()
    teacher = world.people["teacher_a1"]
    person_transfer(scope=scope_of("so_a"), person=teacher, to_unit=world.u("thcs_a2"), school_year=year.next)
    assert _jobs(teacher) == {year.pk: "TH-A1", year.pk + 1: "THCS-A2"}


@pytest.mark.parametrize(("user", "to"), [("principal_a1", "thcs_a2"), ("principal_a2", "thcs_a2"), ("so_a", "th_b1")])
def test_only_an_authority_over_both_units_transfers(world, scope_of, user, to):
    teacher = world.people["teacher_a1"]
    with pytest.raises(PermissionDenied):
        person_transfer(scope=scope_of(user), person=teacher, to_unit=world.u(to), school_year=school_year_current())
    assert _jobs(teacher) == {school_year_current().pk: "TH-A1"}
    assert not AuditLog.objects.filter(action="person.transfer").exists()


# --- the person page by year ---------------------------------------------------------------------


def detail(person, year: int | None = None) -> str:  # type: ignore[no-untyped-def]
    url = reverse("people:detail", args=[person.uuid])
    return f"{url}?year={year}" if year else url


def test_the_school_of_this_year_keeps_its_teacher_when_another_school_has_them_next_year(world, login):
    """Person pages used the newest employment: a later year written elsewhere took the teacher away."""
    teacher = world.people["teacher_a1"]
    _hire_next_year(teacher, world.u("th_b1"))
    this, following = school_year_current().pk, school_year_current().pk + 1
    a1 = login(world.users["principal_a1"])
    r = a1.get(detail(teacher))
    assert r.status_code == 200 and teacher.personal_id in r.text
    assert 'id="edit-link"' not in r.text  # the teacher works elsewhere next year: identity edits are theirs
    assert a1.get(detail(teacher, following)).status_code == 403
    b1 = login(world.users["principal_b1"])
    r = b1.get(detail(teacher))  # no year asked: the latest year this viewer may see
    assert r.status_code == 200 and r.context["py"].school_year.pk == following
    assert b1.get(detail(teacher, this)).status_code == 403


def test_the_page_shows_the_work_and_the_sensitive_data_of_the_year_viewed(world, login):
    year = school_year_current().pk
    teacher = world.people["teacher_a1"]
    Employment.objects.filter(person=teacher).update(school_year_id=year - 1)
    EmploymentFactory(person=teacher, unit=world.u("th_a1"))  # this year
    c = login(world.users["principal_a1"])
    r = c.get(detail(teacher, year - 1))
    assert r.status_code == 200 and r.context["py"].employment.school_year_id == year - 1
    assert teacher.personal_id in r.text and 'id="edit-link"' in r.text
    r = c.get(detail(teacher, year - 3))  # no work that year: no sensitive data, no editing
    assert r.status_code == 200 and teacher.personal_id not in r.text and 'id="no-work-this-year"' in r.text
    assert not r.context["can_edit"]
