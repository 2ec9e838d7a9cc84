"""The ratings of Khoản 2 Điều 10 of TT 14/2018, TT 26/2018 and TT 25/2018 at their boundaries.

Each expected rating is worked out by hand from the rule text quoted above each group, never by
calling the engine; the engine (the RatingRule rows loaded by the migrations) must agree.
"""

import pytest

from bdtx.standards.models import Criterion, Framework, Level
from bdtx.standards.rating import rating_explain
from bdtx.standards.tests.conftest import framework, levels_of

pytestmark = pytest.mark.django_db

T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET


def rate(fw: Framework, default: int, **by_number: int) -> Level | None:
    return rating_explain(framework=fw, levels=levels_of(fw, default, **by_number)).level


def at(level: int, *numbers: int) -> dict[str, int]:
    return {f"c{n}": level for n in numbers}


# --- TT 14/2018, principals of general-education schools (18 criteria) --------------------------
# Key criteria 1, 2, 4, 5, 6, 8, 10, 12, 13, 14. Đạt: at least 2/3 of the criteria (12 of 18) at
# Đạt or better AND every key criterion at Đạt or better; not "every criterion at Đạt".

TT14_KEY = (1, 2, 4, 5, 6, 8, 10, 12, 13, 14)
TT14_OTHERS = (3, 7, 9, 11, 15, 16, 17, 18)


@pytest.fixture
def tt14() -> Framework:
    return framework("tt14_2018_hieutruong")


def test_tt14_twelve_of_eighteen_at_met_with_every_key_criterion_is_met(tt14):
    # keys (10) + criteria 3 and 7 at Đạt = 12; 9, 11, 15, 16, 17, 18 at Chưa đạt: 12 × 3 = 36 ≥ 2 × 18
    assert rate(tt14, CD, **at(D, *TT14_KEY, 3, 7)) == D


def test_tt14_eleven_of_eighteen_at_met_is_not_met(tt14):
    # keys + criterion 3 = 11 at Đạt: 11 × 3 = 33 < 36
    outcome = rating_explain(framework=tt14, levels=levels_of(tt14, CD, **at(D, *TT14_KEY, 3)))
    assert outcome.level == CD
    assert any("11" in s and "18" in s and "12" in s for s in outcome.shortfalls)


def test_tt14_all_but_one_criterion_at_met_is_now_met(tt14):
    # was Chưa đạt: the app asked every criterion at Đạt; criterion 18 is not a key criterion
    assert rate(tt14, D, c18=CD) == D
    assert rate(tt14, K, c7=CD) == D  # not Khá: Khá needs every criterion at Đạt


def test_tt14_a_key_criterion_one_level_short_of_met_is_not_met(tt14):
    # 17 of 18 at Đạt, but key criterion 8 at Chưa đạt
    outcome = rating_explain(framework=tt14, levels=levels_of(tt14, D, c8=CD))
    assert outcome.level == CD
    assert any("8" in s for s in outcome.shortfalls)


def test_tt14_good_and_excellent_keep_every_criterion_at_the_floor(tt14):
    # Tốt: every ≥ Khá, 12 of 18 at Tốt, keys at Tốt; Khá: every ≥ Đạt, 12 at ≥ Khá, keys ≥ Khá
    assert rate(tt14, K, **at(T, *TT14_KEY, 3, 7)) == T
    assert rate(tt14, K, **at(T, *TT14_KEY, 3)) == K  # 11 at Tốt
    assert rate(tt14, D, **at(K, *TT14_KEY, 3, 7)) == K
    assert rate(tt14, D, **at(K, *TT14_KEY, 3)) == D  # 11 at Khá
    assert rate(tt14, T, c5=K) == K  # key criterion 5 one level short of Tốt


# --- TT 26/2018, preschool teachers (15 criteria) ---------------------------------------------
# Key criteria 1, 3, 4, 5, 6, 7, 8, 9. Tốt: every ≥ Khá, at least 2/3 (10 of 15) at Tốt, every key
# at Tốt. Khá: every ≥ Đạt, at least 10 of 15 at ≥ Khá, every key ≥ Khá. Đạt: every ≥ Đạt.

TT26_KEY = (1, 3, 4, 5, 6, 7, 8, 9)


@pytest.fixture
def tt26() -> Framework:
    return framework("tt26_2018_gvmn")


def test_tt26_has_its_fifteen_criteria_and_eight_key_criteria(tt26):
    criteria = Criterion.objects.filter(standard__framework=tt26)
    assert sorted(c.number for c in criteria) == list(range(1, 16))
    assert sorted(c.number for c in criteria if c.is_key) == list(TT26_KEY)


def test_tt26_ten_of_fifteen_at_excellent_with_every_key_criterion_is_excellent(tt26):
    assert rate(tt26, K, **at(T, *TT26_KEY, 2, 10)) == T  # 10 × 3 = 30 ≥ 2 × 15


def test_tt26_nine_of_fifteen_at_excellent_is_good(tt26):
    assert rate(tt26, K, **at(T, *TT26_KEY, 2)) == K  # 9 × 3 = 27 < 30


def test_tt26_a_key_criterion_short_of_excellent_gives_good(tt26):
    # 14 of 15 at Tốt, key criterion 4 at Khá: was Tốt (no key criteria), one level too high
    outcome = rating_explain(framework=tt26, levels=levels_of(tt26, T, c4=K))
    assert outcome.level == K and outcome.next_level == T
    assert any("4" in s for s in outcome.shortfalls)
    assert rate(tt26, T, c13=K) == T  # criterion 13 is not a key criterion


def test_tt26_good_at_its_boundaries(tt26):
    assert rate(tt26, D, **at(K, *TT26_KEY, 2, 10)) == K  # 10 of 15 at Khá, keys at Khá
    assert rate(tt26, D, **at(K, *TT26_KEY, 2)) == D  # 9 of 15
    assert rate(tt26, K, c9=D) == D  # key criterion 9 one level short of Khá


def test_tt26_met_needs_every_criterion_at_met(tt26):
    assert rate(tt26, D) == D
    assert rate(tt26, T, c15=CD) == CD


# --- TT 25/2018, preschool principals (18 criteria) --------------------------------------------
# Key criteria 1, 4, 5, 6, 7, 9, 11, 13, 14, 15; Tốt and Khá as TT 14; Đạt: every criterion ≥ Đạt
# ("Có tất cả các tiêu chí được đánh giá từ mức đạt trở lên", thuvienphapluat 437C9, thukyluat 276425).

TT25_KEY = (1, 4, 5, 6, 7, 9, 11, 13, 14, 15)


@pytest.fixture
def tt25() -> Framework:
    return framework("tt25_2018_hieutruong_mn")


def test_tt25_has_criterion_sixteen_and_counts_over_eighteen(tt25):
    assert sorted(Criterion.objects.filter(standard__framework=tt25).values_list("number", flat=True)) == list(
        range(1, 19)
    )
    assert rate(tt25, K, **at(T, *TT25_KEY, 2, 16)) == T  # 12 of 18 at Tốt
    assert rate(tt25, K, **at(T, *TT25_KEY, 2)) == K  # 11 of 18


def test_tt25_met_unlike_tt14_needs_every_criterion(tt25):
    assert rate(tt25, D, c18=CD) == CD


# --- criteria missing: a provisional rating ------------------------------------------------------


def test_a_criterion_not_recorded_makes_the_rating_provisional_and_says_which(tt26):
    Criterion.objects.filter(standard__framework=tt26, number=12).delete()
    outcome = rating_explain(framework=tt26, levels=levels_of(tt26, K, **at(T, *TT26_KEY, 2, 10)))
    # 10 of the 15 criteria of the circular at Tốt (criterion 12 cannot be rated): Tốt, provisionally
    assert outcome.level == T and outcome.provisional
    assert outcome.unrecorded == (12,) and outcome.total == 15
    assert "12" in outcome.provisional_reason and "15" in outcome.provisional_reason


def test_a_complete_standard_gives_a_final_rating(tt26):
    outcome = rating_explain(framework=tt26, levels=levels_of(tt26, T))
    assert outcome.level == T and not outcome.provisional and outcome.unrecorded == ()
    assert outcome.provisional_reason == ""


def test_without_a_count_the_criteria_recorded_are_the_whole_standard(tt26):
    Framework.objects.filter(pk=tt26.pk).update(criteria_count=None)
    tt26.refresh_from_db()
    Criterion.objects.filter(standard__framework=tt26, number=12).delete()
    outcome = rating_explain(framework=tt26, levels=levels_of(tt26, T))
    assert outcome.level == T and not outcome.provisional and outcome.total == 14
