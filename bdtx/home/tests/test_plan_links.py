"""A unit's page leads to its plans: the unit's own plan of the year shown, the personal plans of its
staff, the plans of the units below. Only for who may open them: no link to a 403."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.core.scope import SYSTEM, Perm
from bdtx.core.selectors import school_year_current
from bdtx.plans.unit.services import unit_plan_compile

pytestmark = pytest.mark.django_db


def _page(client, unit, **params):  # type: ignore[no-untyped-def]
    return client.get(reverse("home:unit", args=[unit.uuid]), params)


def test_a_school_page_links_to_its_plan_and_its_staffs_personal_plans(world, login):
    school, year = world.u("th_a1"), school_year_current()
    plan = unit_plan_compile(scope=SYSTEM, unit=school, school_year=year)
    client = login(world.users["principal_a1"])
    r = _page(client, school)
    unit_plan = reverse("plans:unit_plan", args=[plan.uuid])
    personal = f"{reverse('plans:list')}?unit={school.uuid}&amp;year={year.pk}"
    assert unit_plan in r.text and personal in r.text
    assert 'id="plans-board-link"' not in r.text  # a school has no units below
    # each link opens
    assert client.get(unit_plan).status_code == 200
    assert client.get(personal.replace("&amp;", "&")).status_code == 200


def test_without_a_plan_yet_its_own_staff_are_offered_to_compile_it_and_others_only_see_the_status(world, login):
    school, year = world.u("th_a1"), school_year_current()
    compile_page = reverse("plans:unit_plan_of", args=[school.uuid, year.pk])
    r = _page(login(world.users["principal_a1"]), school)
    assert r.context["unit_plan"] is None and compile_page in r.text
    assert login(world.users["principal_a1"]).get(compile_page).status_code == 200
    r = _page(login(world.users["so_a"]), school)  # the department sees it, but only the school compiles
    assert r.context["sees_plans"] and compile_page not in r.text
    assert 'id="unit-plan-status"' in r.text


def test_a_department_page_links_to_the_board_of_the_units_below(world, login):
    so, year = world.u("so_a"), school_year_current()
    client = login(world.users["so_a"])
    r = _page(client, so)
    board = f"{reverse('plans:board')}?unit={so.uuid}&amp;year={year.pk}"
    assert board in r.text
    assert client.get(board.replace("&amp;", "&")).status_code == 200


def test_the_links_follow_the_year_shown(world, login):
    school = world.u("th_a1")
    last = school_year_current().pk - 1
    r = _page(login(world.users["principal_a1"]), school, year=last)
    assert f"{reverse('plans:list')}?unit={school.uuid}&amp;year={last}" in r.text
    assert reverse("plans:unit_plan_of", args=[school.uuid, last]) in r.text


def test_no_plan_link_for_who_may_not_see_plans(world, login, monkeypatch):
    """A role that sees the unit but not its plans: the plans' pages answer 403, so no link to them."""
    school, year = world.u("th_a1"), school_year_current()
    plan = unit_plan_compile(scope=SYSTEM, unit=school, school_year=year)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.SCHOOL_ADMIN, ROLE_PERMISSIONS[Role.SCHOOL_ADMIN] - {Perm.PLANS_VIEW})
    client = login(world.users["principal_a1"])
    r = _page(client, school)
    assert r.status_code == 200 and not r.context["sees_plans"]
    assert 'id="plans"' not in r.text and reverse("plans:unit_plan", args=[plan.uuid]) not in r.text
    assert client.get(reverse("plans:unit_plan", args=[plan.uuid])).status_code == 403  # what it would have led to


def test_an_institution_has_no_plans_card(world, login):
    r = _page(login(world.users["so_a"]), world.u("cs_dt"))
    assert r.status_code == 200 and 'id="plans"' not in r.text
    r = _page(login(world.users["institution"]), world.u("cs_dt"))
    assert r.status_code == 200 and 'id="plans"' not in r.text


def test_the_plans_card_costs_the_same_queries_with_a_plan_or_without(world, login):
    school, year = world.u("th_a1"), school_year_current()
    client = login(world.users["principal_a1"])
    _page(client, school)
    with CaptureQueriesContext(connection) as before:
        _page(client, school)
    unit_plan_compile(scope=SYSTEM, unit=school, school_year=year)
    with CaptureQueriesContext(connection) as after:
        _page(client, school)
    assert len(after.captured_queries) == len(before.captured_queries)
