"""Periods a province gives the modules its ministry's catalog gives none: who sets them (a Sở, for
its province only), what is refused (no periods, negative, over 120, no document, a module the
ministry gives periods), how they hold from a school year on, and the page where the Sở sets them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from bdtx.catalog import selectors, services
from bdtx.catalog.models import Module, ModuleLocalHours
from bdtx.catalog.tests.conftest import YEAR, module
from bdtx.core.models import AuditLog, SchoolYear

pytestmark = pytest.mark.django_db

GVPT = "GVPT-TT17-2019"
DOC = "Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2026"


def _gvpt(code: str) -> Module:
    return module(GVPT, code)


def _set(scope_of, world, code="GVPT 02", *, user="so_a", unit="so_a", hours=20, source=DOC, year=YEAR):  # type: ignore[no-untyped-def]
    return services.module_local_hours_set(
        scope=scope_of(user),
        module=_gvpt(code),
        unit=world.u(unit),
        school_year=SchoolYear.of(year),
        hours=hours,
        source=source,
    )


def _hours_for(world, code: str, unit: str, year: int = YEAR) -> int | None:  # type: ignore[no-untyped-def]
    return selectors.module_effective_hours(module=_gvpt(code), unit=world.u(unit), school_year=SchoolYear.of(year))


# --- the service ----------------------------------------------------------------------------------


def test_the_reference_catalog_gives_periods_to_2_of_the_15_gvpt_modules(world):
    modules = Module.objects.filter(catalog__code=GVPT)
    assert modules.count() == 15
    assert sorted(modules.filter(hours_total__isnull=False).values_list("code", flat=True)) == ["GVPT 01", "GVPT 11"]


def test_a_department_sets_the_periods_of_a_module_for_its_province(world, scope_of):
    row = _set(scope_of, world, hours=20)
    assert (row.hours, row.source, row.first_year, row.last_year) == (20, DOC, YEAR, None)
    assert row.unit == world.u("so_a") and row.set_by == world.users["so_a"] and row.set_at is not None
    entry = AuditLog.objects.get(action="module_local_hours.set")
    assert entry.unit_path == world.u("so_a").path and entry.actor == world.users["so_a"]
    assert entry.changes["hours"] == [None, 20] and entry.changes["source"] == [None, DOC]
    with translation.override("vi"):
        assert entry.action_label == "Đặt số tiết mô đun cho tỉnh"
    # it counts for the province's people, and only for them
    assert _hours_for(world, "GVPT 02", "th_a1") == 20
    assert _hours_for(world, "GVPT 02", "th_b1") is None


@pytest.mark.parametrize("hours", [0, -1, -20, 121, None])
def test_no_periods_negative_periods_or_more_than_120_are_refused(world, scope_of, hours):
    with pytest.raises(ValidationError) as exc:
        _set(scope_of, world, hours=hours)
    assert "hours" in exc.value.message_dict
    assert not ModuleLocalHours.objects.exists() and not AuditLog.objects.filter(action__startswith="module_local")


@pytest.mark.parametrize("hours", [1, 120])
def test_1_and_120_periods_are_accepted(world, scope_of, hours):
    assert _set(scope_of, world, hours=hours).hours == hours


@pytest.mark.parametrize("source", ["", "   "])
def test_the_document_that_decided_the_periods_is_required(world, scope_of, source):
    with pytest.raises(ValidationError) as exc:
        _set(scope_of, world, source=source)
    assert "source" in exc.value.message_dict
    assert not ModuleLocalHours.objects.exists()


def test_a_module_the_ministry_gives_periods_takes_no_provinces_periods(world, scope_of):
    with pytest.raises(ValidationError) as exc:
        _set(scope_of, world, "GVPT 01", hours=30)
    assert "hours" in exc.value.message_dict
    assert not ModuleLocalHours.objects.exists()
    assert _hours_for(world, "GVPT 01", "th_a1") == 20


def test_the_ministrys_periods_win_over_a_provinces_set_before_them(world, scope_of):
    _set(scope_of, world, "GVPT 02", hours=30)
    Module.objects.filter(catalog__code=GVPT, code="GVPT 02").update(hours_total=20)  # a later catalog import
    assert _hours_for(world, "GVPT 02", "th_a1") == 20
    page = selectors.local_hours_page(province=world.u("so_a"), school_year=SchoolYear.of(YEAR))
    assert [r.module.code for r in page.overridden] == ["GVPT 02"]
    assert "GVPT 02" not in [line.module.code for line in page.lines]


@pytest.mark.parametrize("user", ["so_b", "principal_a1", "xa_a1", "ministry", "sysadmin", "teacher_a1"])
def test_only_the_provinces_own_department_sets_its_periods(world, scope_of, user):
    with pytest.raises(PermissionDenied):
        _set(scope_of, world, user=user)
    assert not ModuleLocalHours.objects.exists()


@pytest.mark.parametrize("unit", ["bo", "xa_a1", "th_a1"])
def test_periods_are_set_for_a_province_not_for_another_unit(world, scope_of, unit):
    with pytest.raises(ValidationError):
        _set(scope_of, world, unit=unit)


def test_a_module_not_offered_that_year_is_refused(world, scope_of):
    with pytest.raises(ValidationError):
        _set(scope_of, world, year=2015)  # before the TT 17/2019 catalog


def test_periods_hold_from_their_year_on_and_a_later_decision_starts_a_new_version(world, scope_of):
    first = _set(scope_of, world, hours=20, year=YEAR)
    second = _set(scope_of, world, hours=30, source="Công văn số 99/SGDĐT ngày 1/8/2027", year=YEAR + 1)
    first.refresh_from_db()
    assert (first.first_year, first.last_year, first.hours) == (YEAR, YEAR, 20)
    assert (second.first_year, second.last_year, second.hours) == (YEAR + 1, None, 30)
    assert [_hours_for(world, "GVPT 02", "th_a1", y) for y in (YEAR - 1, YEAR, YEAR + 1, YEAR + 5)] == [
        None,
        20,
        30,
        30,
    ]
    # a correction in the same year changes that version
    again = _set(scope_of, world, hours=25, year=YEAR + 1)
    assert again.pk == second.pk and ModuleLocalHours.objects.count() == 2
    # a decision for an earlier year ends where the next version begins
    earlier = _set(scope_of, world, hours=15, year=YEAR - 1)
    assert (earlier.first_year, earlier.last_year) == (YEAR - 1, YEAR - 1)
    assert [_hours_for(world, "GVPT 02", "th_a1", y) for y in (YEAR - 1, YEAR, YEAR + 1)] == [15, 20, 25]


def test_clearing_removes_the_periods_from_the_year_on_and_keeps_the_years_before(world, scope_of):
    _set(scope_of, world, hours=20, year=YEAR - 1)
    services.module_local_hours_clear(
        scope=scope_of("so_a"), module=_gvpt("GVPT 02"), unit=world.u("so_a"), school_year=SchoolYear.of(YEAR)
    )
    assert [_hours_for(world, "GVPT 02", "th_a1", y) for y in (YEAR - 1, YEAR)] == [20, None]
    services.module_local_hours_clear(
        scope=scope_of("so_a"), module=_gvpt("GVPT 02"), unit=world.u("so_a"), school_year=SchoolYear.of(YEAR - 1)
    )
    assert not ModuleLocalHours.objects.exists()
    assert AuditLog.objects.filter(action="module_local_hours.clear").count() == 2
    with pytest.raises(ValidationError):  # nothing left to clear
        services.module_local_hours_clear(
            scope=scope_of("so_a"), module=_gvpt("GVPT 02"), unit=world.u("so_a"), school_year=SchoolYear.of(YEAR)
        )


def test_another_province_cannot_clear_the_periods(world, scope_of):
    _set(scope_of, world)
    with pytest.raises(PermissionDenied):
        services.module_local_hours_clear(
            scope=scope_of("so_b"), module=_gvpt("GVPT 02"), unit=world.u("so_a"), school_year=SchoolYear.of(YEAR)
        )
    assert ModuleLocalHours.objects.count() == 1


def test_effective_hours_are_read_for_many_modules_in_one_query(world, scope_of, django_assert_num_queries):
    for code in ("GVPT 02", "GVPT 03", "GVPT 04"):
        _set(scope_of, world, code, hours=20)
    qs = selectors.with_effective_hours(
        Module.objects.filter(catalog__code=GVPT), unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR)
    )
    with django_assert_num_queries(1):
        hours = {m.code: m.effective_hours for m in qs}
    assert [hours[c] for c in ("GVPT 01", "GVPT 02", "GVPT 04", "GVPT 05", "GVPT 11")] == [20, 20, 20, None, 20]


# --- the page -------------------------------------------------------------------------------------


def page_url(world, unit: str = "so_a") -> str:  # type: ignore[no-untyped-def]
    return reverse("catalog:local_hours", kwargs={"uuid": world.u(unit).uuid})


def set_url(world, code: str = "GVPT 02", unit: str = "so_a", action: str = "local_hours_set") -> str:  # type: ignore[no-untyped-def]
    return reverse(f"catalog:{action}", kwargs={"uuid": world.u(unit).uuid, "module": _gvpt(code).uuid})


def form_data(code: str = "GVPT 02", hours: object = 20, source: str = DOC) -> dict[str, object]:
    prefix = f"m{_gvpt(code).pk}"
    return {"year": YEAR, f"{prefix}-hours": hours, f"{prefix}-source": source}


def test_the_department_opens_its_page_from_the_module_list(world, login):
    client = login(world.users["so_a"])
    r = client.get(reverse("catalog:modules"))
    assert page_url(world) in r.content.decode()
    r = client.get(page_url(world), {"year": YEAR})
    assert r.status_code == 200
    codes = [line.module.code for line in r.context["page"].lines]
    assert {f"GVPT {n:02}" for n in range(2, 16) if n != 11} <= set(codes)
    assert "GVPT 01" not in codes and "GVPT 11" not in codes  # the ministry gives them periods
    assert client.get(reverse("catalog:local_hours_mine")).url.startswith(page_url(world))


@pytest.mark.parametrize("user", ["teacher_a1", "principal_a1", "ministry"])
def test_others_get_no_link_to_the_page(world, login, user):
    assert "catalog/provinces/" not in login(world.users[user]).get(reverse("catalog:modules")).content.decode()


@pytest.mark.parametrize("user", ["so_b", "principal_b1", "norole"])
def test_another_provinces_page_and_forms_are_not_found(world, login, user):
    client = login(world.users[user])
    assert client.get(page_url(world)).status_code == 404
    assert client.post(set_url(world), form_data()).status_code == 404
    assert client.post(set_url(world, action="local_hours_clear"), {"year": YEAR}).status_code == 404
    assert not ModuleLocalHours.objects.exists()


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "xa_a1", "ministry"])
def test_inside_the_province_without_the_right_the_page_and_forms_are_forbidden(world, login, user):
    client = login(world.users[user])
    assert client.get(page_url(world)).status_code == 403
    assert client.post(set_url(world), form_data()).status_code == 403
    assert client.post(set_url(world, action="local_hours_clear"), {"year": YEAR}).status_code == 403
    assert not ModuleLocalHours.objects.exists()


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "norole"])
def test_only_a_department_has_an_own_page(world, login, user):
    assert login(world.users[user]).get(reverse("catalog:local_hours_mine")).status_code == 403


def test_the_department_sets_and_removes_periods_on_its_page(world, login):
    client = login(world.users["so_a"])
    r = client.post(set_url(world), form_data(hours=20))
    assert r.status_code == 302 and r.url.endswith(f"#m-{_gvpt('GVPT 02').uuid}")
    row = ModuleLocalHours.objects.get()
    assert (row.hours, row.source, row.unit) == (20, DOC, world.u("so_a"))
    page = client.get(page_url(world), {"year": YEAR})
    assert page.context["page"].set_count == 1 and DOC in page.content.decode()
    r = client.post(set_url(world, action="local_hours_clear"), {"year": YEAR})
    assert r.status_code == 302 and not ModuleLocalHours.objects.exists()


@pytest.mark.parametrize("hours", [0, -5, "", "abc", 121])
def test_the_page_refuses_wrong_periods_on_the_modules_row(world, login, hours):
    r = login(world.users["so_a"]).post(set_url(world), form_data(hours=hours))
    assert r.status_code == 200
    form = next(f for line, f in r.context["lines"] if line.module.code == "GVPT 02")
    assert form.errors["hours"] and not ModuleLocalHours.objects.exists()


def test_the_page_refuses_a_module_the_ministry_gives_periods(world, login):
    r = login(world.users["so_a"]).post(set_url(world, "GVPT 01"), form_data("GVPT 01", hours=30))
    assert r.status_code == 200
    assert [str(m) for m in r.context["messages"]]  # said, although the module is not on the page
    assert not ModuleLocalHours.objects.exists()


def test_the_page_takes_the_same_queries_for_few_and_many_periods_set(world, login, scope_of):
    client = login(world.users["so_a"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url(world), {"year": YEAR}).status_code == 200
    for n in range(2, 10):
        _set(scope_of, world, f"GVPT {n:02}", hours=20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(page_url(world), {"year": YEAR}).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_people_of_the_province_see_its_periods_in_the_catalog_and_others_do_not(world, login, scope_of):
    _set(scope_of, world, "GVPT 02", hours=25)
    mine = login(world.users["teacher_a1"]).get(reverse("catalog:modules"), {"q": "GVPT 02"})
    (m,) = [m for m in mine.context["page_obj"] if m.code == "GVPT 02"]
    assert (m.hours_total, m.local_hours, m.effective_hours) == (None, 25, 25)
    detail = login(world.users["teacher_a1"]).get(reverse("catalog:module", kwargs={"uuid": m.uuid}))
    assert detail.context["local"].hours == 25 and DOC in detail.content.decode()
    other = login(world.users["principal_b1"]).get(reverse("catalog:modules"), {"q": "GVPT 02"})
    (m,) = [m for m in other.context["page_obj"] if m.code == "GVPT 02"]
    assert m.effective_hours is None
    detail = login(world.users["principal_b1"]).get(reverse("catalog:module", kwargs={"uuid": m.uuid}))
    assert detail.context["local"] is None and DOC not in detail.content.decode()
