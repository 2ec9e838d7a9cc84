import pytest

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Grant, Scope, collapse_paths, path_upper_bound


def test_path_upper_bound_excludes_siblings_with_longer_ids():
    upper = path_upper_bound("/1/4/")
    assert upper > "/1/4/" and upper > "/1/4/999/"
    assert not ("/1/4/" <= "/1/42/" < upper)


def test_collapse_paths_keeps_only_the_outermost_subtrees():
    assert collapse_paths(["/1/5/", "/1/", "/2/3/"]) == ["/1/", "/2/3/"]


def test_permission_is_held_only_inside_the_grant_subtree():
    s = Scope(user_id=1, grants=(Grant("school_admin", 3, "/1/2/3/", frozenset({"people.view"})),))
    assert s.has("people.view", "/1/2/3/9/")
    assert not s.has("people.view", "/1/2/4/")
    assert not s.has("people.manage", "/1/2/3/")


def test_self_only_grants_see_no_subtree():
    s = Scope(user_id=1, person_id=7, grants=(Grant("learner", 3, "/1/2/3/", frozenset(), subtree=False),))
    assert s.paths() == []
    assert not s.covers("/1/2/3/")


def test_a_version_is_in_force_from_its_first_year_to_its_last_inclusive(db):
    from bdtx.regimes.models import Regime

    tt26 = Regime.objects.get(first_year=2012)
    assert tt26.last_year == 2019
    assert (
        tt26.in_force(SchoolYear.of(2012))
        and tt26.in_force(SchoolYear.of(2019))
        and not tt26.in_force(SchoolYear.of(2020))
        and not tt26.in_force(SchoolYear.of(2011))
    )
    assert Regime.objects.for_year(SchoolYear.of(2019)) == tt26 and Regime.objects.for_year(SchoolYear.of(2020)) != tt26
    assert tt26.years_label == "2012-2013 → 2019-2020"


def test_a_version_ending_before_it_begins_is_refused_by_the_database(db):
    from django.db import IntegrityError, transaction

    from bdtx.catalog.models import Catalog

    with pytest.raises(IntegrityError), transaction.atomic():
        Catalog.objects.create(code="X", name="X", circular="TT", audience="GVPT", first_year=2025, last_year=2024)
