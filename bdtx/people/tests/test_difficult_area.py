"""Difficult area (vùng khó khăn) belongs to the person's post: kept per employment (None: as the
unit), imported from the staff file, edited on the person page, audited, exported so that the export
imports back to the same values."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from bdtx.core.importing.parsing import read_table
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.exporters import staff_columns, staff_rows
from bdtx.people.importers import FIELDS, NAME_KEYS, StaffCheckContext, UnitRef, check_row
from bdtx.people.models import Employment, Person
from bdtx.people.selectors import StaffFilter, ethnicity_index, staff_list
from bdtx.people.services import StaffRow, employment_update, person_transfer, staff_bulk_upsert

pytestmark = pytest.mark.django_db


def _job(person: Person) -> Employment:
    return Employment.objects.select_related("unit").get(person=person, school_year=school_year_current())


def _set(person: Person, value: bool | None) -> Employment:
    Employment.objects.filter(person=person, school_year=school_year_current()).update(difficult_area=value)
    return _job(person)


# --- the model ---------------------------------------------------------------------------------


def test_an_employment_goes_by_its_unit_until_it_says_otherwise(world):
    at_difficult_school, at_other_school = world.people["teacher_a1"], world.people["teacher_a2"]
    assert world.u("th_a1").difficult_area and not world.u("thcs_a2").difficult_area
    assert _job(at_difficult_school).difficult_area is None and _job(at_difficult_school).in_difficult_area
    assert not _job(at_other_school).in_difficult_area
    assert _set(at_other_school, True).in_difficult_area  # a satellite site in a difficult village
    assert not _set(at_difficult_school, False).in_difficult_area


# --- writing it in bulk (the staff import) ----------------------------------------------------


def _row(unit: Unit, **kw: object) -> StaffRow:
    base: dict[str, object] = {
        "family_name": "Nông",
        "middle_name": "Thị",
        "given_name": "Hoa",
        "gender": "F",
        "unit_id": unit.pk,
        "date_of_birth": date(1990, 3, 5),
        "personal_id": "004190000777",
    }
    base.update(kw)
    return StaffRow(**base)  # type: ignore[arg-type]


def test_a_staff_import_sets_clears_and_keeps_the_difficult_area(world):
    def written(**kw: object) -> bool | None:
        rows = [_row(world.u("thcs_a2"), **kw)]
        staff_bulk_upsert(scope=SYSTEM, school_year=school_year_current(), rows=rows)
        return Employment.objects.get(person__personal_id="004190000777").difficult_area

    assert written(difficult_area=True) is True  # a new person, marked "x"
    assert written(difficult_area=False) is False  # "Không"
    assert written(difficult_area=None) is None  # an empty cell: as the unit again
    written(difficult_area=True)
    assert written(difficult_area=None, keeps_difficult_area=True) is True  # a file without the column
    Person.objects.filter(personal_id="004190000777").delete()
    assert written(difficult_area=None, keeps_difficult_area=True) is None  # …creates people as the unit


def test_the_staff_file_is_imported_with_its_difficult_area_column_and_a_bad_value_is_reported(world):
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Số định danh cá nhân", "Vùng KK"]
    rows = [
        [1, "Nông Thị Hoa", "Nữ", "05/09/1985", "004185000701", "x"],
        [2, "Lò Văn Sơn", "Nam", "01/12/1979", "004079000702", None],
        [3, "Hà Thị Mai", "Nữ", "01/01/1995", "004195000703", "Không"],
        [4, "Vi Văn Tú", "Nam", "02/02/1990", "004090000704", "có lẽ"],
    ]
    principal = world.users["principal_a2"]
    job = run_upload(kind="staff", content=build_xlsx([header, *rows]), user=principal, unit=world.u("thcs_a2"))
    [problem] = job.problems
    assert (problem["row"], problem["col"], problem["column"], problem["value"], problem["code"]) == (
        5,
        "F",
        "Vùng KK",
        "có lẽ",
        "difficult_area.invalid",
    )
    assert problem["message"].startswith("Ghi “x” (hoặc “Có”)")  # in Vietnamese
    job = run_confirm(job, user=principal, only_valid=True)
    assert job.status == ImportJob.Status.DONE
    ids = [r[4] for r in rows]
    written = dict(
        Employment.objects.filter(person__personal_id__in=ids).values_list("person__personal_id", "difficult_area")
    )
    assert written == {"004185000701": True, "004079000702": None, "004195000703": False}


# --- editing it --------------------------------------------------------------------------------


def test_the_principal_marks_a_post_as_in_a_difficult_area_and_the_change_is_audited(world, scope_of):
    teacher = world.people["teacher_a2"]
    employment_update(scope=scope_of("principal_a2"), employment=_job(teacher), difficult_area=True)
    assert _job(teacher).difficult_area is True
    entry = AuditLog.objects.get(action="employment.update", object_uuid=teacher.uuid)
    assert entry.actor == world.users["principal_a2"] and entry.changes == {"difficult_area": ["unit", True]}
    with translation.override("vi"):
        assert entry.change_rows() == [("vùng khó khăn", "theo đơn vị", "Có")]
    employment_update(scope=scope_of("principal_a2"), employment=_job(teacher), difficult_area=None)
    back = AuditLog.objects.filter(action="employment.update", object_uuid=teacher.uuid).latest("pk")
    with translation.override("vi"):
        assert back.change_rows() == [("vùng khó khăn", "Có", "theo đơn vị")]


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "ministry"])
def test_only_an_authority_over_the_unit_changes_the_difficult_area(world, scope_of, user):
    employment = _job(world.people["teacher_a2"])
    with pytest.raises(PermissionDenied):
        employment_update(scope=scope_of(user), employment=employment, difficult_area=True)
    assert _job(world.people["teacher_a2"]).difficult_area is None
    assert not AuditLog.objects.filter(action="employment.update").exists()


def test_an_office_changes_work_only_in_the_years_it_had_authority_over_the_school(world, scope_of):
    from bdtx.accounts.models import Role
    from bdtx.accounts.selectors import scope_for_user
    from bdtx.accounts.services import role_assign
    from bdtx.core.tests.factories import UserFactory

    commune = unit_create(
        scope=SYSTEM, kind=UnitKind.COMMUNE, name="UBND xã Mới", code="09999", parent=world.u("so_a"),
        valid_from=date(2025, 7, 1),
    )  # fmt: skip
    school = unit_create(
        scope=SYSTEM, kind=UnitKind.SCHOOL, name="Trường TH Mới", code="TH-MOI", parent=commune, levels=["TH"],
        valid_from=date(2025, 7, 1),
    )  # fmt: skip
    user = UserFactory(username="xa_moi")
    role_assign(scope=SYSTEM, user=user, unit=commune, role=Role.OFFICE_STAFF)
    office = scope_for_user(user)
    before = EmploymentFactory(unit=school, school_year=SchoolYear.of(2024))
    with pytest.raises(PermissionDenied):
        employment_update(scope=office, employment=before, difficult_area=True)
    now = EmploymentFactory(unit=school)
    employment_update(scope=office, employment=now, difficult_area=True)
    now.refresh_from_db()
    assert now.difficult_area is True


def test_a_transfer_to_another_school_goes_by_the_new_school(world):
    teacher = world.people["teacher_a1"]
    _set(teacher, False)  # a post at the difficult school's central site, in town
    person_transfer(scope=SYSTEM, person=teacher, to_unit=world.u("thcs_a2"), school_year=school_year_current())
    assert _job(teacher).difficult_area is None and not _job(teacher).in_difficult_area
    entry = AuditLog.objects.get(action="person.transfer", object_uuid=teacher.uuid)
    assert entry.changes["difficult_area"] == [False, "unit"]
    with translation.override("vi"):
        assert ("vùng khó khăn", "Không", "theo đơn vị") in entry.change_rows()


# --- the edit page and the person page ---------------------------------------------------------


def _edit_url(person: Person) -> str:
    return f"{reverse('people:edit', kwargs={'uuid': person.uuid})}?year={school_year_current().pk}"


def _person_data(person: Person, **extra: str) -> dict[str, str]:
    return {
        "family_name": person.family_name,
        "middle_name": person.middle_name,
        "given_name": person.given_name,
        "gender": person.gender,
        "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "",
        "ethnicity": person.ethnicity_id or "",
        "personal_id": person.personal_id or "",
        "phone": person.phone,
        "email": person.email,
        **extra,
    }


def test_the_edit_form_offers_as_the_unit_saying_what_the_unit_is_yes_and_no(world, login):
    r = login(world.users["principal_a2"]).get(_edit_url(world.people["teacher_a2"]))
    assert r.status_code == 200
    choices = r.context["emp_form"].fields["difficult_area"].choices
    assert [str(label) for _v, label in choices] == ["Theo đơn vị (không)", "Có", "Không"]
    assert 'name="emp-difficult_area"' in r.text
    r = login(world.users["principal_a1"]).get(_edit_url(world.people["teacher_a1"]))
    assert "Theo đơn vị (có)" in r.text


def test_the_principal_sets_the_difficult_area_on_the_edit_page(world, login):
    teacher = world.people["teacher_a2"]
    client = login(world.users["principal_a2"])
    r = client.post(_edit_url(teacher), _person_data(teacher, **{"emp-difficult_area": "True"}))
    assert r.status_code == 302
    assert _job(teacher).difficult_area is True
    entry = AuditLog.objects.get(action="employment.update", object_uuid=teacher.uuid)
    assert entry.changes == {"difficult_area": ["unit", True]}
    page = client.get(r["Location"])
    assert 'data-difficult-area="yes"' in page.text
    # saving again without a change writes no work entry; "as the unit" clears it
    client.post(_edit_url(teacher), _person_data(teacher, **{"emp-difficult_area": "True"}))
    assert AuditLog.objects.filter(action="employment.update").count() == 1
    client.post(_edit_url(teacher), _person_data(teacher, **{"emp-difficult_area": ""}))
    assert _job(teacher).difficult_area is None


def test_the_person_page_says_whether_the_value_comes_from_the_unit(world, login):
    teacher = world.people["teacher_a1"]
    client = login(world.users["principal_a1"])
    url = reverse("people:detail", kwargs={"uuid": teacher.uuid})
    with translation.override("vi"):
        page = client.get(url).text
    assert 'data-difficult-area="yes"' in page and "(theo đơn vị)" in page
    _set(teacher, False)
    page = client.get(url).text
    assert 'data-difficult-area="no"' in page and "(theo đơn vị)" not in page


# --- the staff export imports back to the same values ------------------------------------------


def test_the_staff_export_imports_back_to_the_same_difficult_area_values(world):
    cases = {  # person → (their own value, their school)
        "teacher_a1": None,  # as the unit, at a difficult school
        "colleague_a1": False,  # at the difficult school's central site
        "teacher_a2": True,  # at a satellite site in a difficult village
        "teacher_b1": None,  # as the unit, at a school that is not
    }
    for key, value in cases.items():
        _set(world.people[key], value)
    qs = staff_list(scope=SYSTEM, f=StaffFilter(school_year=school_year_current())).filter(
        person__in=[world.people[k] for k in cases]
    )
    with translation.override("vi"):
        columns = staff_columns(sensitive=True)
        body = list(staff_rows(qs, sensitive=True))
    header = [str(c.title) for c in columns]
    assert "Vùng khó khăn" in header
    table = read_table(io.BytesIO(build_xlsx([header, *body])), FIELDS, required_any=NAME_KEYS)
    ctx = StaffCheckContext(
        layout=table.layout, ethnicities=ethnicity_index(), default_unit=UnitRef(1, "/1/"), today=date(2025, 9, 1)
    )
    read = {}
    for raw in table.rows:
        checked = check_row(raw, ctx)
        assert checked.problems == []
        read[checked.record.given_name] = checked.record.difficult_area
    assert read == {world.people[k].given_name: v for k, v in cases.items()}


def test_a_person_added_by_hand_gets_their_post_as_the_unit_or_as_chosen(world, login):
    from bdtx.people.tests.test_views import _new_data

    client = login(world.users["principal_a2"])
    unit = world.u("thcs_a2")
    r = client.post(reverse("people:new"), _new_data(unit, **{"emp-school_level": "THCS"}))
    assert r.status_code == 302
    assert Employment.objects.get(person__personal_id="004190000123").difficult_area is None
    data = _new_data(unit, personal_id="004190000124", given_name="Lan", **{"emp-school_level": "THCS"})
    data["emp-difficult_area"] = "True"
    assert client.post(reverse("people:new"), data).status_code == 302
    assert Employment.objects.get(person__personal_id="004190000124").difficult_area is True


def test_the_import_template_has_the_difficult_area_column_with_its_values():
    from python_calamine import CalamineWorkbook

    from bdtx.people.exporters import HELP_SHEET, staff_template_xlsx

    content = staff_template_xlsx(
        units=[("TH-A1", "Trường A")], ethnicities=[("01", "Kinh")], school_year="2025-2026", unit_name="A"
    )
    assert read_table(io.BytesIO(content), FIELDS, required_any=NAME_KEYS).layout.has("difficult_area")
    help_cells = {
        v
        for row in CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_name(HELP_SHEET).to_python()
        for v in row
    }
    assert {"Vùng khó khăn", "x", "Không"} <= help_cells
