"""The regimes' writes: provinces' splits, regimes added and changed as data, each with its permission."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.regimes.models import HoursShift, Regime
from bdtx.regimes.selectors import hours_for, regime_for_year
from bdtx.regimes.services import hours_shift_set, regime_create, regime_update, regime_validate

pytestmark = pytest.mark.django_db


# --- a province's split -------------------------------------------------------------------------


def _scope(world, user):
    return scope_for_user(world.users[user])


def test_a_department_shifts_hours_for_its_province_and_the_change_is_audited(world):
    so_a = world.u("so_a")
    shift = hours_shift_set(
        scope=_scope(world, "so_a"),
        unit=so_a,
        school_year=SchoolYear.of(2026),
        bd01_hours=30,
        bd02_hours=50,
        decision="QĐ 12/QĐ-SGDĐT ngày 01/8/2026",
    )
    hours = hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))
    assert (hours["bd01"], hours["bd02"], hours["bd03"], hours["total"]) == (30, 50, 40, 120)
    entry = AuditLog.objects.get(action="hours_shift.set")
    assert entry.object_uuid == shift.uuid and entry.unit_path == so_a.path
    assert entry.changes["bd01_hours"] == [None, 30]


def test_setting_the_split_again_changes_the_same_row(world):
    for bd01 in (30, 45):
        hours_shift_set(
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(2026),
            bd01_hours=bd01,
            bd02_hours=80 - bd01,
        )
    assert HoursShift.objects.get().bd01_hours == 45


@pytest.mark.parametrize(
    ("bd01", "bd02", "reason"),
    [(30, 49, "phải bằng 80 tiết"), (30, 51, "phải bằng 80 tiết"), (0, 81, "phải bằng 80 tiết"), (-10, 90, "âm")],
)
def test_programmes_01_and_02_must_keep_their_total(world, bd01, bd02, reason):
    with pytest.raises(ValidationError, match=reason):
        hours_shift_set(
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(2026),
            bd01_hours=bd01,
            bd02_hours=bd02,
        )
    assert not HoursShift.objects.exists()


def test_all_periods_may_go_to_one_programme(world):
    hours_shift_set(
        scope=_scope(world, "so_a"), unit=world.u("so_a"), school_year=SchoolYear.of(2026), bd01_hours=0, bd02_hours=80
    )
    assert hours_for(unit=world.u("thpt_a"), school_year=SchoolYear.of(2026))["bd01"] == 0


def test_no_split_in_a_regime_that_does_not_allow_it(world):
    tt26 = Regime.objects.get(code="TT26-2012")
    with pytest.raises(ValidationError, match=f"{tt26.name} không cho phép"):
        hours_shift_set(
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(2015),
            bd01_hours=20,
            bd02_hours=40,
        )


def test_only_a_department_unit_has_a_split(world):
    with pytest.raises(ValidationError):
        hours_shift_set(
            scope=_scope(world, "so_a"),
            unit=world.u("xa_a1"),
            school_year=SchoolYear.of(2026),
            bd01_hours=30,
            bd02_hours=50,
        )


@pytest.mark.parametrize("user", ["so_b", "ministry", "principal_a1", "xa_a1", "teacher_a1"])
def test_nobody_but_the_departments_own_staff_sets_its_split(world, user):
    with pytest.raises(PermissionDenied):
        hours_shift_set(
            scope=_scope(world, user),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(2026),
            bd01_hours=30,
            bd02_hours=50,
        )


# --- regimes as data ----------------------------------------------------------------------------


def _next_regime(**overrides):
    data = {
        "code": "LNG-2025",
        "name": "Quy chế BDTX theo Luật Nhà giáo 2025",
        "legal_source": "Luật Nhà giáo số 73/2025/QH15",
        "first_year": 2027,
        "last_year": None,
        "total_hours": 120,
        "bd01_hours": 40,
        "bd02_hours": 40,
        "bd03_hours": 40,
        "shiftable_01_02": True,
        "pass_mark": Decimal("5.00"),
        "result_categories": [
            {"code": "hoan_thanh", "label": "Hoàn thành", "completed": True},
            {"code": "khong_hoan_thanh", "label": "Không hoàn thành", "completed": False},
        ],
        "grading": {},
        "notes": "",
    }
    return {**data, **overrides}


def test_an_administrator_adds_the_next_regime_closing_the_open_one(world):
    regime = regime_create(scope=_scope(world, "sysadmin"), close_previous=True, **_next_regime())
    assert regime_for_year(SchoolYear.of(2027)) == regime
    assert regime_for_year(SchoolYear.of(2026)).code == "TT19-2019"
    assert Regime.objects.get(code="TT19-2019").last_year == 2026
    assert set(AuditLog.objects.filter(action__startswith="regime.").values_list("action", flat=True)) == {
        "regime.create",
        "regime.update",
    }


def test_a_regime_overlapping_another_is_refused_with_the_others_name(world):
    with pytest.raises(ValidationError) as err:
        regime_create(scope=_scope(world, "sysadmin"), **_next_regime())
    assert "first_year" in err.value.message_dict
    assert "Thông tư 19/2019" in err.value.message_dict["first_year"][0]
    assert Regime.objects.count() == 2


def test_a_regime_whose_periods_do_not_add_up_is_refused(world):
    with pytest.raises(ValidationError) as err:
        regime_validate(_next_regime(first_year=2000, last_year=2005, bd03_hours=30))
    assert list(err.value.message_dict) == ["total_hours"]


def test_a_regime_ending_before_it_begins_is_refused(world):
    with pytest.raises(ValidationError) as err:
        regime_validate(_next_regime(first_year=2005, last_year=2004))
    assert "last_year" in err.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("result_categories", []),
        ("result_categories", [{"code": "a", "label": "A", "completed": True}]),
        ("grading", {"thresholds": [{"category": "gioi", "min_average": 9, "min_score": 7}]}),
        ("grading", {"pass_category": "nope"}),
        (
            "grading",
            {
                "components": [{"code": "nd1", "programmes": ["BD09"]}],
                "thresholds": [{"category": "hoan_thanh", "min_average": 5, "min_score": 5}],
                "otherwise": "khong_hoan_thanh",
            },
        ),
        ("pass_mark", Decimal("11")),
    ],
)
def test_malformed_rules_are_refused(world, field, value):
    with pytest.raises(ValidationError) as err:
        regime_validate(_next_regime(first_year=2000, last_year=2005, **{field: value}))
    assert field in err.value.message_dict


def test_the_shipped_regimes_are_well_formed(world):
    regimes = list(Regime.objects.all())
    assert {"TT26-2012", "TT19-2019"} <= {r.code for r in regimes}
    problems = {}
    for regime in regimes:
        data = {f.name: getattr(regime, f.name) for f in Regime._meta.concrete_fields}
        try:
            regime_validate(data, exclude_pk=regime.pk)
        except ValidationError as e:
            problems[regime.code] = e.message_dict
    assert problems == {}


def test_an_administrator_changes_a_regime_and_each_field_is_audited(world):
    regime = Regime.objects.get(code="TT19-2019")
    regime_update(scope=_scope(world, "sysadmin"), regime=regime, pass_mark=Decimal("5.50"))
    regime.refresh_from_db()
    assert regime.pass_mark == Decimal("5.50")
    assert AuditLog.objects.get(action="regime.update").changes == {"pass_mark": ["5.00", "5.50"]}


def test_changing_a_regime_to_overlap_another_is_refused(world):
    regime = Regime.objects.get(code="TT26-2012")
    with pytest.raises(ValidationError):
        regime_update(scope=_scope(world, "sysadmin"), regime=regime, last_year=2020)


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1", "norole"])
def test_only_national_catalog_managers_change_regimes(world, user):
    with pytest.raises(PermissionDenied):
        regime_create(scope=_scope(world, user), close_previous=True, **_next_regime())
