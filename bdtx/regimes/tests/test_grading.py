"""Year results at their boundaries, by the regimes' grading data (TT 19/2019 pass at 5; TT 26/2012 grades)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bdtx.regimes.grading import grade_compute
from bdtx.regimes.models import Regime

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
