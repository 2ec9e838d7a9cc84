import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment, Ethnicity, Person
from bdtx.people.selectors import ethnicity_index, ethnicity_key
from bdtx.people.services import StaffRow, employment_update, person_create, person_update, staff_bulk_upsert

pytestmark = pytest.mark.django_db


def _row(unit, **kw):
    base = dict(
        family_name="Nông",
        middle_name="Thị",
        given_name="Hoa",
        gender="F",
        unit_id=unit.pk,
        date_of_birth=date(1990, 3, 5),
        ethnicity_code="02",
        personal_id="004190000777",
    )
    base.update(kw)
    return StaffRow(**base)


def test_bulk_upsert_matches_on_personal_id_and_updates_instead_of_duplicating(world):
    year = school_year_current()
    unit = world.u("th_a1")
    assert staff_bulk_upsert(scope=SYSTEM, school_year=year, rows=[_row(unit)]) == (1, 0)
    assert staff_bulk_upsert(scope=SYSTEM, school_year=year, rows=[_row(unit, given_name="Huệ")]) == (0, 1)
    person = Person.objects.get(personal_id="004190000777")
    assert person.given_name == "Huệ"
    assert Employment.objects.filter(person=person).count() == 1
    assert AuditLog.objects.filter(object_uuid=person.uuid, source="import").count() == 2


def test_bulk_upsert_without_id_matches_name_and_birth_date_at_the_same_unit(world):
    year = school_year_current()
    unit = world.u("th_a1")
    staff_bulk_upsert(scope=SYSTEM, school_year=year, rows=[_row(unit, personal_id=None)])
    staff_bulk_upsert(scope=SYSTEM, school_year=year, rows=[_row(unit, personal_id=None, phone="0987654321")])
    assert Person.objects.filter(given_name="Hoa", family_name="Nông").count() == 1


def test_bulk_upsert_keeps_last_years_employment_when_a_person_moves(world):
    year = school_year_current()
    teacher = world.people["teacher_a1"]
    last_year = Employment.objects.get(person=teacher)
    last_year.school_year_id = year.pk - 1
    last_year.save()
    staff_bulk_upsert(
        scope=SYSTEM,
        school_year=year,
        rows=[
            _row(
                world.u("thcs_a2"),
                family_name=teacher.family_name,
                middle_name=teacher.middle_name,
                given_name=teacher.given_name,
                gender=teacher.gender,
                date_of_birth=teacher.date_of_birth,
                personal_id=teacher.personal_id,
            )
        ],
    )
    units = dict(Employment.objects.filter(person=teacher).values_list("school_year_id", "unit__code"))
    assert units == {year.pk - 1: "TH-A1", year.pk: "THCS-A2"}


def test_names_are_stored_in_nfc(world):
    person = person_create(
        scope=SYSTEM,
        unit=world.u("th_a1"),
        school_year=school_year_current(),
        employment={},
        family_name=unicodedata.normalize("NFD", "Nguyễn"),
        given_name=unicodedata.normalize("NFD", "Hoà"),
        gender="F",
    )
    person.refresh_from_db()
    assert person.family_name == "Nguyễn" and unicodedata.is_normalized("NFC", person.given_name)
    assert person.search_text.startswith("nguyen")


def test_person_create_refuses_a_bad_id_and_writes_nothing(world):
    before = Person.objects.count()
    with pytest.raises(ValidationError):
        person_create(
            scope=SYSTEM,
            unit=world.u("th_a1"),
            school_year=school_year_current(),
            employment={},
            family_name="Lò",
            given_name="Ánh",
            gender="F",
            personal_id="12345",
        )
    assert Person.objects.count() == before
    assert not AuditLog.objects.filter(action="person.create", object_repr="Lò Ánh").exists()


def test_54_ethnic_groups_are_loaded_with_kinh_as_01_and_ro_mam_as_54(db):
    assert Ethnicity.objects.count() == 54
    assert Ethnicity.objects.get(code="01").name == "Kinh"
    assert Ethnicity.objects.get(code="54").name == "Rơ-măm"


@pytest.mark.parametrize(
    "variant,code",
    [
        ("H'Mông", "08"),
        ("Mông", "08"),
        ("Hmông", "08"),
        ("Khơ me", "05"),
        ("Khmer", "05"),
        ("Dân tộc Tày", "02"),
        ("Ê Đê", "12"),
        ("kinh", "01"),
        ("Sán Chay", "15"),
        ("Cao Lan", "15"),
        ("8", "08"),
    ],
)
def test_ethnicity_variants_map_to_their_code(db, variant, code):
    assert ethnicity_index()[ethnicity_key(variant)] == code


def test_no_ethnicity_variant_maps_to_two_groups(db):
    seen: dict[str, str] = {}
    for e in Ethnicity.objects.all():
        for name in {e.name, *filter(None, e.aliases.split(";"))}:
            key = ethnicity_key(name)
            assert seen.setdefault(key, e.code) == e.code, f"{name} is ambiguous"
    assert len(set(seen.values())) == 54


def test_a_principal_cannot_create_change_or_bulk_write_staff_of_another_school(world, scope_of):
    principal = scope_of("principal_a1")
    year = school_year_current()
    with pytest.raises(PermissionDenied):
        person_create(
            scope=principal, unit=world.u("th_b1"), school_year=year, employment={}, given_name="An", gender="M"
        )
    outsider = world.people["teacher_b1"]
    with pytest.raises(PermissionDenied):
        person_update(scope=principal, person=outsider, unit_path=world.u("th_b1").path, given_name="Đổi")
    # Naming one's own school as the unit does not open a person who never worked there.
    with pytest.raises(PermissionDenied):
        person_update(scope=principal, person=outsider, unit_path=world.u("th_a1").path, given_name="Đổi")
    with pytest.raises(PermissionDenied):
        staff_bulk_upsert(scope=principal, school_year=year, rows=[_row(world.u("th_b1"))])
    emp = Employment.objects.get(person=world.people["teacher_a1"], school_year=year)
    with pytest.raises(PermissionDenied):
        employment_update(scope=principal, employment=emp, unit_id=world.u("th_b1").pk)
    outsider.refresh_from_db()
    assert outsider.given_name == "Ngọc" and not Person.objects.filter(given_name="An").exists()


def test_a_teacher_cannot_change_their_own_record_through_the_service(world, scope_of):
    me = world.people["teacher_a1"]
    with pytest.raises(PermissionDenied):
        person_update(scope=scope_of("teacher_a1"), person=me, unit_path=world.u("th_a1").path, given_name="Đổi")


def test_the_principal_changes_their_own_teachers_and_is_the_audited_actor(world, scope_of):
    me = world.people["teacher_a1"]
    person_update(scope=scope_of("principal_a1"), person=me, unit_path=world.u("th_a1").path, phone="0912345678")
    assert AuditLog.objects.get(action="person.update", object_uuid=me.uuid).actor == world.users["principal_a1"]
