"""The regimes' rules at their boundaries: year results, provinces' splits, regimes added as data."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.regimes.models import HoursShift, Regime
from bdtx.regimes.selectors import hours_for, regime_for_year
from bdtx.regimes.services import grade_compute, hours_shift_set, regime_create, regime_update, regime_validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def tt26():
    return Regime.objects.get(code="TT26-2012")


@pytest.fixture
def tt19():
    return Regime.objects.get(code="TT19-2019")


# --- TT 19/2019: pass or fail at 5 -------------------------------------------------------------


def test_every_score_of_exactly_five_completes_the_plan(tt19):
    grade = grade_compute(regime=tt19, scores={"BD01": 5, "BD02": "5.00", "MĐ 04": [Decimal("5.0"), 7]})
    assert (grade.category, grade.label, grade.completed) == ("hoan_thanh", "Hoàn thành kế hoạch BDTX", True)


def test_one_score_of_4_99_fails_the_plan(tt19):
    grade = grade_compute(regime=tt19, scores={"BD01": 9, "BD02": 8, "MĐ 04": [10, 4.99]})
    assert (grade.category, grade.label, grade.completed) == (
        "khong_hoan_thanh",
        "Không hoàn thành kế hoạch BDTX",
        False,
    )


def test_a_plan_not_carried_out_in_full_fails_whatever_the_scores(tt19):
    assert grade_compute(regime=tt19, scores={"BD01": 10}, complete=False).category == "khong_hoan_thanh"


def test_no_score_at_all_does_not_complete_the_plan(tt19):
    assert grade_compute(regime=tt19, scores={}).category == "khong_hoan_thanh"


@pytest.mark.parametrize("bad", [10.01, -1, "mười", "NaN"])
def test_a_score_outside_the_10_point_scale_is_refused(tt19, bad):
    with pytest.raises(ValidationError):
        grade_compute(regime=tt19, scores={"BD01": bad})


def test_a_comma_decimal_score_is_read(tt19):
    assert grade_compute(regime=tt19, scores={"BD01": "5,0"}).completed


def test_the_pass_mark_comes_from_the_regime_data(tt19):
    tt19.pass_mark = Decimal("6.00")
    assert grade_compute(regime=tt19, scores={"BD01": "5.5"}).category == "khong_hoan_thanh"


# --- TT 26/2012: graded -------------------------------------------------------------------------


def _tt26(regime, nd1, nd2, nd3, **kw):
    return grade_compute(regime=regime, scores={"nd1": nd1, "nd2": nd2, "nd3": nd3}, **kw)


def test_average_9_with_no_score_below_7_is_gioi(tt26):
    grade = _tt26(tt26, 7, 10, [10])
    assert (grade.category, grade.label, grade.completed, grade.average) == ("gioi", "Giỏi", True, Decimal("9.0"))


def test_average_9_with_a_score_of_6_99_is_kha_not_gioi(tt26):
    grade = _tt26(tt26, "6.99", 10, [10])  # 26.99 / 3 = 8.9967 → 9.0
    assert grade.average == Decimal("9.0")
    assert grade.category == "kha"


def test_the_average_is_the_mean_of_score1_score2_and_the_mean_of_the_modules(tt26):
    grade = _tt26(tt26, 8, 7, [10, 9, 8])  # (8 + 7 + 9) / 3
    assert grade.average == Decimal("8.0")
    assert grade.category == "kha"


def test_the_average_is_rounded_to_one_decimal_half_up(tt26):
    assert _tt26(tt26, "8.85", 9, [9]).average == Decimal("9.0")  # 8.95 → 9.0
    assert _tt26(tt26, "8.85", 9, [9]).category == "gioi"
    assert _tt26(tt26, "8.82", 9, [9]).average == Decimal("8.9")  # 8.94 → 8.9
    assert _tt26(tt26, "8.82", 9, [9]).category == "kha"


def test_each_module_score_counts_as_a_component_for_the_lowest_score(tt26):
    grade = _tt26(tt26, 10, 10, [10, "6.5"])  # module mean 8.25, average 9.4, one module score 6.5
    assert grade.average == Decimal("9.4")
    assert grade.category == "kha"


def test_average_7_with_no_score_below_6_is_kha(tt26):
    assert _tt26(tt26, 6, 7, [8]).category == "kha"


def test_average_7_with_a_score_of_5_99_is_trung_binh(tt26):
    grade = _tt26(tt26, "5.99", 7, ["8.01"])
    assert grade.average == Decimal("7.0")
    assert (grade.category, grade.completed) == ("trung_binh", True)


def test_average_5_with_no_score_below_5_is_trung_binh_which_completes(tt26):
    grade = _tt26(tt26, 5, 5, [5])
    assert (grade.category, grade.label, grade.completed) == ("trung_binh", "Trung bình", True)


def test_a_score_of_4_99_does_not_complete_even_with_a_good_average(tt26):
    grade = _tt26(tt26, "4.99", 10, [10])
    assert (grade.category, grade.label, grade.completed) == ("khong_hoan_thanh", "Không hoàn thành", False)


def test_an_average_below_5_does_not_complete(tt26):
    assert _tt26(tt26, 5, 5, ["4.5"]).average == Decimal("4.8")
    assert _tt26(tt26, 5, 5, ["4.5"]).completed is False


def test_a_missing_component_does_not_complete(tt26):
    assert grade_compute(regime=tt26, scores={"nd1": 10, "nd2": 10}).category == "khong_hoan_thanh"
    assert _tt26(tt26, 10, 10, []).category == "khong_hoan_thanh"


def test_an_unfinished_plan_does_not_complete_under_tt26_either(tt26):
    assert _tt26(tt26, 10, 10, [10], complete=False).category == "khong_hoan_thanh"


def test_a_regime_added_without_grading_data_is_pass_fail_by_its_categories(world):
    regime = Regime(
        pass_mark=Decimal("5"),
        result_categories=[{"code": "dat", "label": "Đạt", "completed": True}, {"code": "kd", "label": "Không đạt"}],
        grading={},
    )
    assert grade_compute(regime=regime, scores={"a": 5}).label == "Đạt"
    assert grade_compute(regime=regime, scores={"a": "4.99"}).label == "Không đạt"


# --- a province's split -------------------------------------------------------------------------


def _scope(world, user):
    return scope_for_user(world.users[user])


def test_a_department_shifts_hours_for_its_province_and_the_change_is_audited(world):
    so_a = world.u("so_a")
    shift = hours_shift_set(
        actor_id=world.users["so_a"].pk,
        scope=_scope(world, "so_a"),
        unit=so_a,
        school_year=2026,
        bd01_hours=30,
        bd02_hours=50,
        decision="QĐ 12/QĐ-SGDĐT ngày 01/8/2026",
    )
    hours = hours_for(unit=world.u("th_a1"), school_year=2026)
    assert (hours["bd01"], hours["bd02"], hours["bd03"], hours["total"]) == (30, 50, 40, 120)
    entry = AuditLog.objects.get(action="hours_shift.set")
    assert entry.object_uuid == shift.uuid and entry.unit_path == so_a.path
    assert entry.changes["bd01_hours"] == [None, 30]


def test_setting_the_split_again_changes_the_same_row(world):
    for bd01 in (30, 45):
        hours_shift_set(
            actor_id=None,
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=2026,
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
            actor_id=None,
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=2026,
            bd01_hours=bd01,
            bd02_hours=bd02,
        )
    assert not HoursShift.objects.exists()


def test_all_periods_may_go_to_one_programme(world):
    hours_shift_set(
        actor_id=None, scope=_scope(world, "so_a"), unit=world.u("so_a"), school_year=2026, bd01_hours=0, bd02_hours=80
    )
    assert hours_for(unit=world.u("thpt_a"), school_year=2026)["bd01"] == 0


def test_no_split_in_a_regime_that_does_not_allow_it(world, tt26):
    with pytest.raises(ValidationError, match=f"{tt26.name} không cho phép"):
        hours_shift_set(
            actor_id=None,
            scope=_scope(world, "so_a"),
            unit=world.u("so_a"),
            school_year=2015,
            bd01_hours=20,
            bd02_hours=40,
        )


def test_only_a_department_unit_has_a_split(world):
    with pytest.raises(ValidationError):
        hours_shift_set(
            actor_id=None,
            scope=_scope(world, "so_a"),
            unit=world.u("xa_a1"),
            school_year=2026,
            bd01_hours=30,
            bd02_hours=50,
        )


@pytest.mark.parametrize("user", ["so_b", "ministry", "principal_a1", "xa_a1", "teacher_a1"])
def test_nobody_but_the_departments_own_staff_sets_its_split(world, user):
    with pytest.raises(PermissionDenied):
        hours_shift_set(
            actor_id=None,
            scope=_scope(world, user),
            unit=world.u("so_a"),
            school_year=2026,
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
    regime = regime_create(
        actor_id=world.users["sysadmin"].pk, scope=_scope(world, "sysadmin"), close_previous=True, **_next_regime()
    )
    assert regime_for_year(2027) == regime
    assert regime_for_year(2026).code == "TT19-2019"
    assert Regime.objects.get(code="TT19-2019").last_year == 2026
    assert set(AuditLog.objects.filter(action__startswith="regime.").values_list("action", flat=True)) == {
        "regime.create",
        "regime.update",
    }


def test_a_regime_overlapping_another_is_refused_with_the_others_name(world):
    with pytest.raises(ValidationError) as err:
        regime_create(actor_id=None, scope=_scope(world, "sysadmin"), **_next_regime())
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
    regime_update(actor_id=None, scope=_scope(world, "sysadmin"), regime=regime, pass_mark=Decimal("5.50"))
    regime.refresh_from_db()
    assert regime.pass_mark == Decimal("5.50")
    assert AuditLog.objects.get(action="regime.update").changes == {"pass_mark": ["5.00", "5.50"]}


def test_changing_a_regime_to_overlap_another_is_refused(world):
    regime = Regime.objects.get(code="TT26-2012")
    with pytest.raises(ValidationError):
        regime_update(actor_id=None, scope=_scope(world, "sysadmin"), regime=regime, last_year=2020)


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1", "norole"])
def test_only_national_catalog_managers_change_regimes(world, user):
    with pytest.raises(PermissionDenied):
        regime_create(actor_id=None, scope=_scope(world, user), close_previous=True, **_next_regime())
