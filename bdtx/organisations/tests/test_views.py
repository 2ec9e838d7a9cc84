import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_department_lists_its_units_but_not_the_other_province(world, login):
    r = login(world.users["so_a"]).get(reverse("organisations:list"))
    codes = {u.code for u in r.context["page_obj"]}
    assert {"04", "TH-A1", "THCS-A2", "01270"} <= codes
    assert "TH-B1" not in codes and "08" not in codes


def test_unit_list_filters_by_kind_and_difficult_area(world, login):
    c = login(world.users["so_a"])
    r = c.get(reverse("organisations:list"), {"kind": "school"})
    assert {u.code for u in r.context["page_obj"]} == {"TH-A1", "THCS-A2", "THPT-A"}
    r = c.get(reverse("organisations:list"), {"difficult": "1"})
    assert {u.code for u in r.context["page_obj"]} == {"TH-A1"}


def test_staff_list_of_the_district_for_2024_rolls_up_through_the_old_tree(world, login):
    from bdtx.people.models import Employment

    Employment.objects.filter(unit=world.u("th_a1")).update(school_year_id=2024)
    c = login(world.users["so_a"])
    r = c.get(reverse("people:list"), {"unit": str(world.u("phong_a").uuid), "year": 2024})
    assert len(r.context["page_obj"]) == 4
    r = c.get(reverse("people:list"), {"unit": str(world.u("xa_a1").uuid), "year": 2024})
    assert len(r.context["page_obj"]) == 0


def test_unit_search_ignores_diacritics_and_case(world, login):
    r = login(world.users["so_a"]).get(reverse("organisations:list"), {"q": "tieu hoc dong"})
    assert [u.code for u in r.context["page_obj"]] == ["TH-A1"]


def test_unit_list_exports_the_filtered_list(world, login):
    import io

    from python_calamine import CalamineWorkbook

    r = login(world.users["so_a"]).get(reverse("organisations:export"), {"kind": "school"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python()
    assert sorted(row[1] for row in rows[4:] if row[1]) == ["TH-A1", "THCS-A2", "THPT-A"]


def test_teacher_cannot_export_units(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("organisations:export")).status_code == 403


def test_teacher_cannot_list_units(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("organisations:list")).status_code == 403
