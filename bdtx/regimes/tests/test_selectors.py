"""hours_for: the regime's split, replaced by the nearest ancestor's shift where the regime allows it."""

import pytest

from bdtx.core.models import SchoolYear
from bdtx.core.scope import ancestor_paths
from bdtx.regimes.models import HoursShift, Regime
from bdtx.regimes.selectors import hours_for, regime_for_year


def test_ancestor_paths_list_every_unit_from_the_root_to_the_unit():
    assert ancestor_paths("/1/5/42/") == ["/1/", "/1/5/", "/1/5/42/"]


@pytest.mark.django_db
def test_the_shipped_regimes_cover_2012_to_2019_and_2020_onward():
    assert regime_for_year(SchoolYear.of(2012)).code == "TT26-2012"
    assert regime_for_year(SchoolYear.of(2019)).code == "TT26-2012"
    assert regime_for_year(SchoolYear.of(2020)).code == "TT19-2019"
    assert regime_for_year(SchoolYear.of(2035)).code == "TT19-2019"
    with pytest.raises(Regime.DoesNotExist):
        regime_for_year(SchoolYear.of(2011))


def test_a_school_owes_the_regimes_split_when_nobody_shifted_hours(world):
    hours = hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))
    assert (hours["bd01"], hours["bd02"], hours["bd03"], hours["total"]) == (40, 40, 40, 120)
    assert hours["regime"].code == "TT19-2019" and hours["shift"] is None


def test_a_school_owes_its_provinces_split_and_another_province_is_unaffected(world):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2026, bd01_hours=30, bd02_hours=50)
    a = hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))
    b = hours_for(unit=world.u("th_b1"), school_year=SchoolYear.of(2026))
    assert (a["bd01"], a["bd02"], a["bd03"], a["total"]) == (30, 50, 40, 120)
    assert (b["bd01"], b["bd02"]) == (40, 40)


def test_the_nearest_ancestors_split_wins(world):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2026, bd01_hours=30, bd02_hours=50)
    HoursShift.objects.create(unit=world.u("xa_a1"), school_year_id=2026, bd01_hours=35, bd02_hours=45)
    assert hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))["bd01"] == 35
    assert hours_for(unit=world.u("thcs_a2"), school_year=SchoolYear.of(2026))["bd01"] == 30


def test_a_split_of_another_year_does_not_apply(world):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2025, bd01_hours=30, bd02_hours=50)
    assert hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))["bd01"] == 40


def test_a_split_is_ignored_in_a_regime_that_does_not_allow_shifting(world):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2015, bd01_hours=20, bd02_hours=40)
    hours = hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2015))
    assert (hours["bd01"], hours["bd02"], hours["bd03"]) == (30, 30, 60)


def test_a_split_that_no_longer_adds_up_to_the_regime_is_ignored(world):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2026, bd01_hours=30, bd02_hours=40)
    assert hours_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2026))["bd01"] == 40


def test_hours_for_reads_the_regime_and_all_ancestors_in_two_queries(world, django_assert_num_queries):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=2026, bd01_hours=30, bd02_hours=50)
    year = SchoolYear.of(2026)
    with django_assert_num_queries(2):
        hours_for(unit=world.u("th_a1"), school_year=year)
