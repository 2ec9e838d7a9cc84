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
