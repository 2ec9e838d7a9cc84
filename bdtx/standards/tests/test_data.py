"""The standards loaded by the data migration: what the reference data holds, no more."""

import csv
from pathlib import Path

import pytest

from bdtx.standards.models import Criterion, Framework, Level, RatingRule

pytestmark = pytest.mark.django_db

CSV = Path(__file__).resolve().parent.parent / "data" / "standards.csv"


def _criteria(code: str) -> list[Criterion]:
    return list(Criterion.objects.filter(standard__framework__code=code).order_by("number"))


@pytest.mark.parametrize(
    ("code", "audience", "count", "key"),
    [
        ("tt20_2018_gvpt", "GVPT", 15, [3, 4, 5, 6, 7]),
        ("tt14_2018_hieutruong", "QLPT", 18, [1, 2, 4, 5, 6, 8, 10, 12, 13, 14]),
        ("tt26_2018_gvmn", "GVMN", 13, []),
        ("tt25_2018_hieutruong_mn", "QLMN", 17, [1, 4, 5, 6, 7, 9, 11, 13, 14, 15]),
    ],
)
def test_each_framework_has_its_audience_criteria_and_key_criteria(code, audience, count, key):
    fw = Framework.objects.get(code=code)
    criteria = _criteria(code)
    assert fw.audience == audience
    assert len(criteria) == count
    assert [c.number for c in criteria if c.is_key] == key


def test_tt20_has_five_standards_and_its_key_criteria_are_standard_two():
    fw = Framework.objects.get(code="tt20_2018_gvpt")
    assert fw.standards.count() == 5
    assert {c.number for c in _criteria(fw.code) if c.is_key} == {
        c.number for c in Criterion.objects.filter(standard__framework=fw, standard__number=2)
    }


def test_every_criterion_keeps_the_source_and_confidence_of_its_row():
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    assert Criterion.objects.count() == len(rows) == 63
    for row in rows:
        c = Criterion.objects.get(standard__framework__code=row["framework"], number=int(row["criterion_no"]))
        assert (c.title, c.source, c.confidence) == (row["criterion_title_vi"], row["source"], row["confidence"])


def test_incomplete_frameworks_say_what_is_missing():
    assert "11 và 12" in Framework.objects.get(code="tt26_2018_gvmn").completeness_note
    assert "16" in Framework.objects.get(code="tt25_2018_hieutruong_mn").completeness_note
    assert not Criterion.objects.filter(standard__framework__code="tt26_2018_gvmn", number__in=[11, 12]).exists()


def test_every_framework_has_four_rules_with_their_legal_source():
    frameworks = list(Framework.objects.all())
    assert {"tt20_2018_gvpt", "tt14_2018_hieutruong", "tt26_2018_gvmn", "tt25_2018_hieutruong_mn"} <= {
        fw.code for fw in frameworks
    }
    for fw in frameworks:
        rules = {r.result: r for r in RatingRule.objects.filter(framework=fw)}
        assert set(rules) == set(Level.values)
        assert all(r.source for r in rules.values())
        assert (rules[Level.EXCELLENT].share_numerator, rules[Level.EXCELLENT].share_denominator) == (2, 3)
        assert rules[Level.EXCELLENT].min_all == Level.GOOD and rules[Level.GOOD].min_all == Level.MET


def test_the_key_condition_is_loaded_only_where_the_key_list_is_known():
    with_key = set(RatingRule.objects.exclude(key_min=None).values_list("framework__code", flat=True))
    assert with_key == {"tt20_2018_gvpt", "tt14_2018_hieutruong", "tt25_2018_hieutruong_mn"}
