import pytest

from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM, Grant, Perm, Scope, ancestor_ids, ancestor_paths, collapse_paths, path_upper_bound


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


class U:
    def __init__(self, pk: int, path: str) -> None:
        self.pk, self.path = pk, path


SCHOOL = U(3, "/1/2/3/")
OFFICE = U(2, "/1/2/")
PRINCIPAL = Grant("school_admin", 3, "/1/2/3/", frozenset({Perm.PEOPLE_VIEW, Perm.SENSITIVE_VIEW, Perm.PLANS_APPROVE}))
OFFICER = Grant("office_staff", 2, "/1/2/", frozenset({Perm.PEOPLE_VIEW, Perm.PLANS_APPROVE}))


def test_held_at_a_unit_means_a_role_at_that_very_unit_not_above_it():
    office = Scope(user_id=1, grants=(OFFICER,))
    assert office.holds_at(Perm.PLANS_APPROVE, OFFICE) and not office.holds_at(Perm.PLANS_APPROVE, SCHOOL)
    assert office.has(Perm.PLANS_APPROVE, SCHOOL.path)  # over it, yes; at it, no
    learner = Scope(user_id=1, grants=(Grant("learner", 3, "/1/2/3/", frozenset({Perm.PLANS_APPROVE}), subtree=False),))
    assert not learner.holds_at(Perm.PLANS_APPROVE, SCHOOL)  # a self-only role holds nothing at the unit


def test_units_with_a_permission_come_highest_first_and_once():
    s = Scope(user_id=1, grants=(PRINCIPAL, OFFICER, OFFICER))
    assert s.units_with(Perm.PLANS_APPROVE) == [2, 3]
    assert s.units_with(Perm.SENSITIVE_VIEW) == [3]
    assert s.units_with() == [2, 3]


def test_sensitive_data_over_a_whole_list_needs_it_over_every_part_of_the_list():
    both = Scope(user_id=1, grants=(PRINCIPAL, Grant("office_staff", 9, "/1/9/", frozenset({Perm.PEOPLE_VIEW}))))
    assert both.sees_sensitive(SCHOOL.path) and not both.sees_sensitive("/1/9/4/")
    assert not both.sees_sensitive()  # the list of everyone they see mixes the two
    assert Scope(user_id=1, grants=(PRINCIPAL,)).sees_sensitive()
    assert not Scope(user_id=1).sees_sensitive()


def test_the_system_holds_everything_everywhere_but_is_nobody():
    assert SYSTEM.is_system and SYSTEM.user_id is None and not SYSTEM.is_anonymous
    assert SYSTEM.holds_at(Perm.DEADLINES_MANAGE, SCHOOL) and SYSTEM.has(Perm.UNITS_MANAGE, "/7/8/")
    assert SYSTEM.acts_for(42) and not SYSTEM.is_person(42)
    me = Scope(user_id=5, person_id=42)
    assert me.acts_for(42) and me.is_person(42) and not me.acts_for(43) and not me.is_system


def test_paths_and_ids_of_the_ancestors():
    assert ancestor_paths("/1/5/42/") == ["/1/", "/1/5/", "/1/5/42/"]
    assert ancestor_ids("/1/5/42/") == [1, 5, 42]
    assert Scope(user_id=1, grants=(PRINCIPAL, OFFICER)).ancestor_paths() == ["/1/", "/1/2/", "/1/2/3/"]


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
