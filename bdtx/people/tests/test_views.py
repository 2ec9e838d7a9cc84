import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.core.models import AuditLog

pytestmark = pytest.mark.django_db


def detail(person):
    return reverse("people:detail", args=[person.uuid])


def edit(person):
    return reverse("people:edit", args=[person.uuid])


# --- staff list ------------------------------------------------------------------------------


def test_principal_sees_own_school_staff_sorted_by_given_name(world, login):
    r = login(world.users["principal_a1"]).get(reverse("people:list"))
    assert r.status_code == 200
    names = [e.person.given_name for e in r.context["page_obj"]]
    assert len(names) == 4
    keys = [e.person.sort_key for e in r.context["page_obj"]]
    assert keys == sorted(keys)
    assert world.people["teacher_b1"].full_name not in r.text
    assert world.people["teacher_a2"].full_name not in r.text


def test_department_sees_every_school_of_its_province_but_not_the_other(world, login):
    r = login(world.users["so_a"]).get(reverse("people:list"))
    shown = {e.person_id for e in r.context["page_obj"]}
    assert world.people["teacher_a2"].pk in shown and world.people["teacher_a1"].pk in shown
    assert world.people["teacher_b1"].pk not in shown


def test_search_without_diacritics_finds_the_teacher(world, login):
    teacher = world.people["teacher_a1"]
    from bdtx.core.text import fold

    r = login(world.users["so_a"]).get(reverse("people:list"), {"q": fold(teacher.full_name)})
    assert [e.person_id for e in r.context["page_obj"]] == [teacher.pk]


def test_staff_list_htmx_request_returns_only_the_table(world, login):
    r = login(world.users["so_a"]).get(reverse("people:list"), HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "<html" not in r.text and "<table" in r.text


def test_staff_list_filters_by_difficult_area_gender_and_level(world, login):
    c = login(world.users["so_a"])
    r = c.get(reverse("people:list"), {"difficult": "1"})
    assert {e.unit.code for e in r.context["page_obj"]} == {"TH-A1"}
    r = c.get(reverse("people:list"), {"level": "THCS"})
    assert [e.person_id for e in r.context["page_obj"]] == [world.people["teacher_a2"].pk]
    r = c.get(reverse("people:list"), {"gender": "F"})
    assert all(e.person.gender == "F" for e in r.context["page_obj"])


def test_staff_list_filters_by_unit_subtree(world, login):
    r = login(world.users["so_a"]).get(reverse("people:list"), {"unit": str(world.u("xa_a2").uuid)})
    assert [e.person_id for e in r.context["page_obj"]] == [world.people["teacher_a2"].pk]


def test_staff_list_of_unit_outside_scope_is_404(world, login):
    r = login(world.users["principal_a1"]).get(reverse("people:list"), {"unit": str(world.u("th_b1").uuid)})
    assert r.status_code == 404


def test_an_invalid_filter_value_does_not_drop_the_other_filters(world, login):
    r = login(world.users["so_a"]).get(reverse("people:list"), {"level": "THCS", "gender": "X"})
    assert [e.person_id for e in r.context["page_obj"]] == [world.people["teacher_a2"].pk]


def test_minority_filter_is_offered_only_with_the_sensitive_data_permission(world, login):
    r = login(world.users["ministry"]).get(reverse("people:list"))
    assert "minority" not in r.context["form"].fields
    r = login(world.users["so_a"]).get(reverse("people:list"), {"minority": "1"})
    assert all(e.person.ethnicity_id != "01" for e in r.context["page_obj"])


def test_teacher_cannot_open_the_staff_list(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("people:list")).status_code == 403


def test_staff_list_runs_a_constant_number_of_queries(world, login, django_assert_max_num_queries):
    c = login(world.users["sysadmin"])
    c.get(reverse("people:list"))
    with django_assert_max_num_queries(12):
        c.get(reverse("people:list"))


def test_anonymous_user_is_sent_to_login(client, world):
    r = client.get(reverse("people:list"))
    assert r.status_code == 302 and reverse("accounts:login") in r["Location"]


# --- export ----------------------------------------------------------------------------------


def _sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_export_writes_the_filtered_list_with_sensitive_columns_for_allowed_roles(world, login):
    r = login(world.users["principal_a1"]).get(reverse("people:export"))
    assert r.status_code == 200
    rows = _sheet(r.content)
    header = rows[3]
    assert "Personal ID number" in header or "Số định danh cá nhân" in header
    body = [row for row in rows[4:] if row and row[0] != ""]
    assert len(body) == 4
    ids = {str(row[header.index(header[7])]) for row in body}
    assert world.people["teacher_a1"].personal_id in ids
    assert AuditLog.objects.filter(action="sensitive.read", actor=world.users["principal_a1"]).exists()


def test_ministry_export_has_no_sensitive_columns(world, login):
    r = login(world.users["ministry"]).get(reverse("people:export"))
    rows = _sheet(r.content)
    flat = " ".join(str(c) for c in rows[3])
    everything = " ".join(str(c) for row in rows for c in row)
    assert r.status_code == 200 and world.people["teacher_a1"].given_name in everything
    assert world.people["teacher_a1"].personal_id not in everything
    assert "Ethnicity" not in flat and "Dân tộc" not in flat


def test_teacher_cannot_export(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("people:export")).status_code == 403


# --- person detail ---------------------------------------------------------------------------


def test_principal_opening_a_teacher_sees_sensitive_data_and_the_reading_is_logged(world, login):
    teacher = world.people["teacher_a1"]
    r = login(world.users["principal_a1"]).get(detail(teacher))
    assert r.status_code == 200 and teacher.personal_id in r.text
    entry = AuditLog.objects.get(action="sensitive.read", object_uuid=teacher.uuid)
    assert entry.actor == world.users["principal_a1"]


def test_ministry_sees_the_person_but_not_ethnicity_or_id(world, login):
    teacher = world.people["teacher_a1"]
    r = login(world.users["ministry"]).get(detail(teacher))
    assert r.status_code == 200
    assert teacher.personal_id not in r.text
    assert not AuditLog.objects.filter(action="sensitive.read").exists()


def test_principal_of_another_province_gets_404_for_a_teacher(world, login):
    assert login(world.users["principal_b1"]).get(detail(world.people["teacher_a1"])).status_code == 404


def test_teacher_sees_own_record_but_not_a_colleague(world, login):
    c = login(world.users["teacher_a1"])
    assert c.get(detail(world.people["teacher_a1"])).status_code == 200
    assert c.get(detail(world.people["colleague_a1"])).status_code == 404


def test_institution_staff_gets_404_for_school_staff(world, login):
    assert login(world.users["institution"]).get(detail(world.people["teacher_a1"])).status_code == 404


# --- person edit -----------------------------------------------------------------------------


def test_principal_edits_a_teacher_and_the_change_is_audited_without_sensitive_values(world, login):
    teacher = world.people["teacher_a1"]
    data = {
        "family_name": teacher.family_name,
        "middle_name": teacher.middle_name,
        "given_name": "Hoà",
        "gender": teacher.gender,
        "date_of_birth": teacher.date_of_birth.strftime("%d/%m/%Y"),
        "ethnicity": "02",
        "personal_id": teacher.personal_id,
        "phone": "0912345678",
        "email": "",
    }
    r = login(world.users["principal_a1"]).post(edit(teacher), data)
    assert r.status_code == 302
    teacher.refresh_from_db()
    assert teacher.given_name == "Hoà" and teacher.phone == "0912345678"
    entry = AuditLog.objects.filter(action="person.update", object_uuid=teacher.uuid).latest("at")
    assert entry.changes["given_name"][1] == "Hoà"
    if "ethnicity_id" in entry.changes:
        assert entry.changes["ethnicity_id"] == ["•••", "•••"]


def test_edit_rejects_an_id_number_that_contradicts_gender_or_birth_year(world, login):
    teacher = world.people["teacher_a1"]
    wrong = teacher.personal_id[:3] + ("2" if teacher.gender == "M" else "3") + teacher.personal_id[4:]
    data = {
        "family_name": teacher.family_name,
        "middle_name": teacher.middle_name,
        "given_name": teacher.given_name,
        "gender": teacher.gender,
        "date_of_birth": teacher.date_of_birth.strftime("%d/%m/%Y"),
        "personal_id": wrong,
    }
    r = login(world.users["principal_a1"]).post(edit(teacher), data)
    assert r.status_code == 200 and r.context["form"].errors["personal_id"]


def test_ministry_cannot_edit_a_person(world, login):
    assert login(world.users["ministry"]).get(edit(world.people["teacher_a1"])).status_code == 403


def test_teacher_cannot_edit_even_their_own_record_here(world, login):
    assert login(world.users["teacher_a1"]).get(edit(world.people["teacher_a1"])).status_code == 403


def test_outsider_editing_a_teacher_gets_404(world, login):
    assert login(world.users["principal_b1"]).get(edit(world.people["teacher_a1"])).status_code == 404


# --- person new ------------------------------------------------------------------------------


def _new_data(unit, **kw):
    data = {
        "unit": str(unit.uuid),
        "family_name": "Nông",
        "middle_name": "Thị",
        "given_name": "Mai",
        "gender": "F",
        "date_of_birth": "05/03/1990",
        "ethnicity": "02",
        "personal_id": "004190000123",
        "phone": "",
        "email": "",
        "emp-staff_type": "GV",
        "emp-position": "giao_vien",
        "emp-school_level": "TH",
        "emp-subjects": "",
        "emp-contract_type": "bien_che",
        "emp-status": "working",
    }
    data.update(kw)
    return data


def test_principal_adds_a_teacher_to_their_school(world, login):
    r = login(world.users["principal_a1"]).post(reverse("people:new"), _new_data(world.u("th_a1")))
    assert r.status_code == 302
    assert AuditLog.objects.filter(action="person.create", object_repr="Nông Thị Mai").exists()


def test_principal_cannot_add_a_teacher_to_another_school(world, login):
    r = login(world.users["principal_a1"]).post(reverse("people:new"), _new_data(world.u("th_b1")))
    assert r.status_code == 200 and r.context["form"].non_field_errors()


def test_teacher_cannot_add_people(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("people:new")).status_code == 403
