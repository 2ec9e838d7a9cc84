"""Regime pages: who may read and change them (403 without the right, 404 for what is not there)."""

import uuid

import pytest
from django.urls import reverse
from django.utils.html import escape

from bdtx.core.models import SchoolYear
from bdtx.regimes.models import HoursShift, Regime

pytestmark = pytest.mark.django_db


def _form_data(regime: Regime, **overrides):
    import json

    data = {
        "code": regime.code,
        "name": regime.name,
        "legal_source": regime.legal_source,
        "first_year": regime.first_year,
        "last_year": regime.last_year or "",
        "total_hours": regime.total_hours,
        "bd01_hours": regime.bd01_hours,
        "bd02_hours": regime.bd02_hours,
        "bd03_hours": regime.bd03_hours,
        "shiftable_01_02": "on" if regime.shiftable_01_02 else "",
        "pass_mark": str(regime.pass_mark),
        "result_categories": json.dumps(regime.result_categories, ensure_ascii=False),
        "grading": json.dumps(regime.grading, ensure_ascii=False),
        "notes": regime.notes,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


# --- list --------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["sysadmin", "ministry", "so_a"])
def test_authorities_see_the_regimes_with_their_legal_source(world, login, user):
    response = login(world.users[user]).get(reverse("regimes:list"))
    assert response.status_code == 200
    assert "Thông tư 26/2012/TT-BGDĐT ngày 10/7/2012" in response.content.decode()


def test_only_national_catalog_managers_get_the_edit_links(world, login):
    tt19 = Regime.objects.get(code="TT19-2019")
    edit = reverse("regimes:edit", kwargs={"uuid": tt19.uuid})
    assert edit in login(world.users["sysadmin"]).get(reverse("regimes:list")).content.decode()
    assert edit not in login(world.users["so_a"]).get(reverse("regimes:list")).content.decode()


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "xa_a1", "norole"])
def test_schools_and_teachers_cannot_open_the_regime_list(world, login, user):
    assert login(world.users[user]).get(reverse("regimes:list")).status_code == 403


# --- create and edit ---------------------------------------------------------------------------


def test_a_system_administrator_adds_the_next_regime_without_code(world, login):
    tt19 = Regime.objects.get(code="TT19-2019")
    data = _form_data(
        tt19, code="LNG-2025", name="Quy chế theo Luật Nhà giáo 2025", first_year=2027, close_previous="on"
    )
    response = login(world.users["sysadmin"]).post(reverse("regimes:new"), data)
    assert response.status_code == 302
    assert Regime.objects.for_year(SchoolYear.of(2027)).code == "LNG-2025"
    assert Regime.objects.get(code="TT19-2019").last_year == 2026


def test_an_overlapping_regime_is_shown_back_with_the_reason(world, login):
    tt19 = Regime.objects.get(code="TT19-2019")
    data = _form_data(tt19, code="LNG-2025", name="Quy chế mới", first_year=2027)
    response = login(world.users["sysadmin"]).post(reverse("regimes:new"), data)
    assert response.status_code == 200
    assert "Thông tư 19/2019" in response.context["form"].errors["first_year"][0]
    assert Regime.objects.count() == 2


def test_invalid_json_is_shown_back(world, login):
    tt19 = Regime.objects.get(code="TT19-2019")
    data = _form_data(tt19, code="X", first_year=2040, result_categories="[{oops")
    response = login(world.users["sysadmin"]).post(reverse("regimes:new"), data)
    assert response.status_code == 200 and "result_categories" in response.context["form"].errors


def test_an_administrator_changes_a_regimes_pass_mark(world, login):
    tt19 = Regime.objects.get(code="TT19-2019")
    url = reverse("regimes:edit", kwargs={"uuid": tt19.uuid})
    assert login(world.users["ministry"]).get(url).status_code == 200
    response = login(world.users["ministry"]).post(url, _form_data(tt19, pass_mark="5.50"))
    assert response.status_code == 302
    tt19.refresh_from_db()
    assert str(tt19.pass_mark) == "5.50"


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1"])
def test_others_cannot_add_or_change_regimes(world, login, user):
    client = login(world.users[user])
    tt19 = Regime.objects.get(code="TT19-2019")
    assert client.get(reverse("regimes:new")).status_code == 403
    assert client.post(reverse("regimes:new"), _form_data(tt19, code="X", first_year=2040)).status_code == 403
    assert client.post(reverse("regimes:edit", kwargs={"uuid": tt19.uuid}), _form_data(tt19)).status_code == 403
    assert Regime.objects.count() == 2


@pytest.mark.parametrize("user", ["sysadmin", "so_a"])
def test_an_unknown_regime_is_not_found(world, login, user):
    url = reverse("regimes:edit", kwargs={"uuid": uuid.uuid4()})
    assert login(world.users[user]).get(url).status_code == 404


# --- periods per programme ---------------------------------------------------------------------


def test_a_department_sets_its_split_on_the_hours_page(world, login):
    client = login(world.users["so_a"])
    so_a = world.u("so_a")
    page = client.get(reverse("regimes:hours"))
    assert page.status_code == 200 and escape(so_a.name) in page.content.decode()
    response = client.post(
        reverse("regimes:hours") + "?year=2026",
        {"unit": str(so_a.uuid), "year": "2026", f"{so_a.pk}-bd01_hours": "30", f"{so_a.pk}-bd02_hours": "50"},
    )
    assert response.status_code == 302
    assert HoursShift.objects.get(unit=so_a).bd02_hours == 50


def test_a_split_that_does_not_keep_the_total_is_shown_back(world, login):
    so_a = world.u("so_a")
    response = login(world.users["so_a"]).post(
        reverse("regimes:hours"),
        {"unit": str(so_a.uuid), "year": "2026", f"{so_a.pk}-bd01_hours": "30", f"{so_a.pk}-bd02_hours": "60"},
    )
    assert response.status_code == 200
    assert "phải bằng 80 tiết" in response.content.decode()
    assert not HoursShift.objects.exists()


def test_a_department_cannot_set_another_provinces_split(world, login):
    so_a = world.u("so_a")
    response = login(world.users["so_b"]).post(
        reverse("regimes:hours"),
        {"unit": str(so_a.uuid), "year": "2026", f"{so_a.pk}-bd01_hours": "30", f"{so_a.pk}-bd02_hours": "50"},
    )
    assert response.status_code == 404
    assert not HoursShift.objects.exists()


def test_the_ministry_sees_provinces_splits_but_has_no_form(world, login):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2026, bd01_hours=30, bd02_hours=50)
    response = login(world.users["ministry"]).get(reverse("regimes:hours") + "?year=2026")
    body = response.content.decode()
    assert escape(world.u("so_a").name) in body and 'name="unit"' not in body


def test_a_department_does_not_see_another_provinces_split(world, login):
    HoursShift.objects.create(unit=world.u("so_b"), school_year_id=2026, bd01_hours=30, bd02_hours=50)
    response = login(world.users["so_a"]).get(reverse("regimes:hours") + "?year=2026")
    body = response.content.decode()
    assert response.status_code == 200 and escape(world.u("so_a").name) in body
    assert escape(world.u("so_b").name) not in body


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "xa_a1", "norole"])
def test_schools_and_offices_cannot_open_the_hours_page(world, login, user):
    assert login(world.users[user]).get(reverse("regimes:hours")).status_code == 403
