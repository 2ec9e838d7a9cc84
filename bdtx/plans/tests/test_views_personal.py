"""Pages of personal plans and deadlines: who may open and do what (outsiders 404, wrong role 403),
the journey of a plan through the pages, and list pages whose query count does not grow."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM, Perm
from bdtx.core.tests.factories import EmploymentFactory, as_person
from bdtx.plans.deadlines import services as deadlines_services
from bdtx.plans.models import Deadline, DeadlineKind, PersonalPlan, PlanStatus
from bdtx.plans.personal import services as personal_services
from bdtx.regimes.models import Regime

from .conftest import YEAR, content

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world, pcat) -> PersonalPlan:  # type: ignore[no-untyped-def]
    """teacher_a1's plan at th_a1, submitted with 40 periods of programme 03."""
    content(world)
    person = world.people["teacher_a1"]
    p = personal_services.plan_start(scope=scope_for_user(person.user), person=person, school_year=SchoolYear.of(YEAR))
    personal_services.plan_module_add(scope=scope_for_user(person.user), plan=p, module=pcat.m["C40"])
    return personal_services.plan_submit(scope=scope_for_user(person.user), plan=p)


@pytest.fixture
def draft(world, pcat) -> PersonalPlan:  # type: ignore[no-untyped-def]
    content(world)
    person = world.people["teacher_a1"]
    return personal_services.plan_start(
        scope=scope_for_user(person.user), person=person, school_year=SchoolYear.of(YEAR)
    )


def url(name: str, plan: PersonalPlan) -> str:
    return reverse(f"plans:{name}", kwargs={"uuid": plan.uuid})


# --- my plan --------------------------------------------------------------------------------------


def test_a_teacher_starts_their_plan_from_my_plan(world, login, pcat):
    client = login(world.users["teacher_a1"])
    r = client.get(reverse("plans:mine"))
    assert r.status_code == 200 and b'id="start-plan"' in r.content
    r = client.post(reverse("plans:start"), {"year": YEAR})
    assert r.status_code == 302
    plan = PersonalPlan.objects.get(person=world.people["teacher_a1"])
    r = client.get(reverse("plans:mine"))
    assert r.status_code == 200 and r.context["plan"] == plan and r.context["editable"]


def test_my_plan_needs_a_staff_record(world, login):
    assert login(world.users["norole"]).get(reverse("plans:mine")).status_code == 403
    assert login(world.users["so_a"]).post(reverse("plans:start"), {"year": YEAR}).status_code == 403


def test_my_plan_is_for_this_school_year_or_the_next_only(world, login):
    client = login(world.users["teacher_a1"])
    assert client.get(reverse("plans:mine"), {"year": YEAR + 1}).status_code == 200
    assert client.get(reverse("plans:mine"), {"year": YEAR - 1}).status_code == 404
    assert client.post(reverse("plans:start"), {"year": YEAR + 5}).status_code == 404


def test_the_teacher_adds_a_recommended_module_and_submits(world, login, draft, pcat):
    from .conftest import Level, assess

    assess(world.people["teacher_a1"], world.u("th_a1"), pcat, {3: Level.NOT_MET})
    client = login(world.users["teacher_a1"])
    recs = client.get(reverse("plans:mine")).context["recommendations"]
    assert [r.module for r in recs] == [pcat.m["C40"]]
    r = client.post(url("module_add", draft), {"module": pcat.m["C40"].uuid, "form": "tu_xa", "reason": recs[0].reason})
    assert r.status_code == 302
    item = draft.items.get(module=pcat.m["C40"])
    assert item.form == "tu_xa" and item.reason == recs[0].reason
    r = client.post(
        url("item_update", draft),
        {"item": item.pk, f"i{item.pk}-form": "tap_trung", f"i{item.pk}-start_month": "2026-10"},
    )
    item.refresh_from_db()
    assert (item.form, item.start_month) == ("tap_trung", date(2026, 10, 1))
    client.post(url("submit", draft))
    draft.refresh_from_db()
    assert draft.status == PlanStatus.SUBMITTED


def test_a_refused_submission_lists_what_is_missing(world, login, draft):
    client = login(world.users["teacher_a1"])
    r = client.post(url("submit", draft), follow=True)
    assert r.status_code == 200
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    assert len(list(r.context["messages"])) == 2  # 03 short of 40, and the total


def test_the_catalog_search_finds_modules_without_diacritics(world, login, draft, pcat):
    pcat.m["A20"].title = "Ứng dụng công nghệ thông tin"
    pcat.m["A20"].save()
    r = login(world.users["teacher_a1"]).get(url("modules", draft), {"q": "ung dung cong nghe"})
    assert r.status_code == 200
    assert pcat.m["A20"] in [m for m, _taken, _done in r.context["results"]]


# --- who may open and act on a plan ---------------------------------------------------------------


@pytest.mark.parametrize("user", ["principal_a1", "xa_a1", "so_a", "ministry"])
def test_the_school_and_the_authorities_above_open_a_plan(world, login, plan, user):
    assert login(world.users[user]).get(url("detail", plan)).status_code == 200


@pytest.mark.parametrize("user", ["principal_a2", "principal_b1", "so_b", "mentor_a1", "institution", "norole"])
def test_a_plan_is_not_found_outside_the_viewers_scope(world, login, plan, user):
    client = login(world.users[user])
    assert client.get(url("detail", plan)).status_code == 404
    assert client.get(url("modules", plan)).status_code == 404
    for name in ("module_add", "item_update", "item_remove", "submit", "decide"):
        assert client.post(url(name, plan), {"action": "approve"}).status_code == 404, name
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_a_viewer_in_scope_without_the_right_to_see_plans_gets_403(world, login, plan, monkeypatch):
    weaker = ROLE_PERMISSIONS[Role.SCHOOL_ADMIN] - {Perm.PLANS_VIEW, Perm.PLANS_APPROVE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.SCHOOL_ADMIN, weaker)
    client = login(world.users["principal_a1"])
    assert client.get(url("detail", plan)).status_code == 403
    assert client.get(reverse("plans:list")).status_code == 403


def test_only_the_owner_edits_and_submits_a_plan(world, login, draft, pcat):
    client = login(world.users["principal_a1"])
    item = draft.items.first()
    assert client.get(url("modules", draft), {"q": "A"}).status_code == 403
    assert client.post(url("module_add", draft), {"module": pcat.m["A20"].uuid, "form": "tu_xa"}).status_code == 403
    assert client.post(url("item_update", draft), {"item": item.pk}).status_code == 403
    assert client.post(url("item_remove", draft), {"item": item.pk}).status_code == 403
    assert client.post(url("submit", draft)).status_code == 403
    assert not draft.items.filter(module__isnull=False).exists()


def test_an_item_of_another_plan_is_not_found(world, login, draft, pcat):
    other = personal_services.plan_start(
        scope=SYSTEM, person=world.people["colleague_a1"], school_year=SchoolYear.of(YEAR)
    )  # colleague_a1 has no account
    client = login(world.users["teacher_a1"])
    r = client.post(url("item_remove", draft), {"item": other.items.first().pk})
    assert r.status_code == 404


def test_a_teacher_cannot_approve_their_own_plan(world, login, plan):
    r = login(world.users["teacher_a1"]).post(url("decide", plan), {"action": "approve"})
    assert r.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_the_principal_returns_with_a_comment_then_approves_the_resubmitted_plan(world, login, plan):
    principal = login(world.users["principal_a1"])
    r = principal.get(url("detail", plan))
    assert r.context["can_decide"]
    principal.post(url("decide", plan), {"action": "return", "comment": "Bổ sung thời gian học"})
    plan.refresh_from_db()
    assert (plan.status, plan.comment) == (PlanStatus.RETURNED, "Bổ sung thời gian học")
    teacher = login(world.users["teacher_a1"])
    assert "Bổ sung thời gian học" in teacher.get(reverse("plans:mine")).content.decode()
    teacher.post(url("submit", plan))
    # once resubmitted, the old comment is history, not an open request on the page
    assert "alert-warning" not in login(world.users["principal_a1"]).get(url("detail", plan)).content.decode()
    principal = login(world.users["principal_a1"])
    principal.post(url("decide", plan), {"action": "approve"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == world.users["principal_a1"]


def test_a_return_without_a_comment_changes_nothing(world, login, plan):
    login(world.users["principal_a1"]).post(url("decide", plan), {"action": "return", "comment": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_post_only_endpoints_refuse_get(world, login, plan):
    client = login(world.users["teacher_a1"])
    for name in ("module_add", "item_update", "item_remove", "submit", "decide"):
        assert client.get(url(name, plan)).status_code == 405


# --- the reviewers' list --------------------------------------------------------------------------


def test_the_list_shows_the_schools_people_with_their_status(world, login, plan):
    r = login(world.users["principal_a1"]).get(reverse("plans:list"))
    assert r.status_code == 200
    rows = {e.person_id: e.plan_status for e in r.context["page_obj"]}
    assert rows == {
        world.people["teacher_a1"].pk: "submitted",
        world.people["mentor_a1"].pk: "missing",
        world.people["colleague_a1"].pk: "missing",
        world.people["principal_a1"].pk: "missing",
    }
    assert r.context["counts"].missing == 3


def test_the_list_filters_by_status_and_groups_by_school(world, login, plan):
    client = login(world.users["so_a"])
    r = client.get(reverse("plans:list"), {"status": "submitted"})
    assert [e.person_id for e in r.context["page_obj"]] == [world.people["teacher_a1"].pk]
    r = client.get(reverse("plans:list"), {"group": "unit"})
    by_school = {row["unit__name"]: (row["total"], row["missing"], row["submitted"]) for row in r.context["page_obj"]}
    assert by_school == {world.u("th_a1").name: (4, 3, 1), world.u("thcs_a2").name: (1, 1, 0)}


def test_the_list_is_for_reviewers_and_a_foreign_unit_is_not_found(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("plans:list")).status_code == 403
    assert login(world.users["institution"]).get(reverse("plans:list")).status_code == 403
    r = login(world.users["principal_a1"]).get(reverse("plans:list"), {"unit": str(world.u("th_b1").uuid)})
    assert r.status_code == 404


def _queries(client, params):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("plans:list"), params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"group": "unit"}])
def test_list_pages_take_the_same_number_of_queries_for_more_rows(world, login, plan, params):
    client = login(world.users["so_a"])
    before = _queries(client, params)
    for _ in range(6):
        person = EmploymentFactory(unit=world.u("thpt_a"), school_level="THPT").person
        PersonalPlan.objects.create(
            person=person,
            unit=world.u("thpt_a"),
            school_year_id=YEAR,
            regime=Regime.objects.for_year(SchoolYear.of(YEAR)),
            status=PlanStatus.APPROVED,
        )
    Deadline.objects.create(
        unit=world.u("xa_a2"), school_year_id=YEAR, kind=DeadlineKind.PERSONAL_PLAN, due_on=date(YEAR, 5, 1)
    )
    assert _queries(client, params) == before


# --- deadlines ------------------------------------------------------------------------------------


def test_a_province_sets_an_earlier_date_on_the_deadlines_page(world, login):
    client = login(world.users["so_a"])
    assert client.get(reverse("plans:deadlines")).status_code == 200
    r = client.post(
        reverse("plans:deadlines") + f"?year={YEAR}",
        {"unit": str(world.u("so_a").uuid), "kind": "school_plan", "due_on": f"{YEAR}-05-15", "source": "95/GDĐT-BD"},
    )
    assert r.status_code == 302
    d = Deadline.objects.get(unit=world.u("so_a"))
    assert (d.kind, d.due_on, d.source) == ("school_plan", date(YEAR, 5, 15), "95/GDĐT-BD")


def test_a_later_date_is_shown_as_an_error_on_the_form(world, login):
    deadlines_services.deadline_set(
        scope=SYSTEM,
        unit=world.u("so_a"),
        school_year=SchoolYear.of(YEAR),
        kind="school_plan",
        due_on=date(YEAR, 5, 15),
    )
    r = login(world.users["xa_a1"]).post(
        reverse("plans:deadlines") + f"?year={YEAR}",
        {"unit": str(world.u("xa_a1").uuid), "kind": "school_plan", "due_on": f"{YEAR}-05-20"},
    )
    assert r.status_code == 200 and r.context["form"].errors["due_on"]
    assert not Deadline.objects.filter(unit=world.u("xa_a1")).exists()


def test_a_unit_outside_ones_own_cannot_be_chosen(world, login):
    r = login(world.users["xa_a1"]).post(
        reverse("plans:deadlines"),
        {"unit": str(world.u("so_a").uuid), "kind": "school_plan", "due_on": f"{YEAR}-05-01"},
    )
    assert r.status_code == 200 and r.context["form"].errors["unit"]
    assert not Deadline.objects.exists()


def test_an_office_is_offered_only_the_deadlines_it_may_set(world, login):
    kinds = dict(login(world.users["xa_a1"]).get(reverse("plans:deadlines")).context["form"].fields["kind"].choices)
    # and the date its schools file their results report by (no default: each office sets it)
    assert set(kinds) == {"personal_plan", "school_plan", "school_results"}


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "institution", "norole"])
def test_the_deadlines_page_is_for_authorities(world, login, user):
    assert login(world.users[user]).get(reverse("plans:deadlines")).status_code == 403


def test_removing_a_deadline_outside_the_scope_is_not_found_and_without_the_right_forbidden(world, login):
    d = deadlines_services.deadline_set(
        scope=SYSTEM,
        unit=world.u("so_a"),
        school_year=SchoolYear.of(YEAR),
        kind="school_plan",
        due_on=date(YEAR, 5, 15),
    )
    remove = reverse("plans:deadline_delete", kwargs={"uuid": d.uuid})
    assert login(world.users["so_b"]).post(remove).status_code == 404
    assert login(world.users["xa_a1"]).post(remove).status_code == 404  # set above it: not its own
    at_school = Deadline.objects.create(
        unit=world.u("th_a1"), school_year_id=YEAR, kind="personal_plan", due_on=date(YEAR, 5, 1)
    )
    remove_school = reverse("plans:deadline_delete", kwargs={"uuid": at_school.uuid})
    assert login(world.users["principal_a1"]).post(remove_school).status_code == 403
    assert login(world.users["so_a"]).post(remove).status_code == 302
    assert not Deadline.objects.filter(pk=d.pk).exists()


def test_the_landing_page_shows_what_is_due_next(world, login):
    r = login(world.users["teacher_a1"]).get(reverse("home:home"))
    assert r.status_code == 200 and b'id="due-next"' in r.content
    assert [i.deadline.due_on for i in r.context["due_items"]] == [date(YEAR, 5, 31), date(YEAR + 1, 5, 31)]


def test_an_approved_plan_reads_approved_after_the_date_not_late(world, login, plan):
    Deadline.objects.create(
        unit=world.u("so_a"), school_year_id=YEAR, kind=DeadlineKind.PERSONAL_PLAN, due_on=date(YEAR, 1, 15)
    )
    approved = personal_services.plan_approve(scope=scope_for_user(world.users["principal_a1"]), plan=plan)
    r = login(world.users["teacher_a1"]).get(reverse("plans:mine"), {"year": YEAR})
    assert approved.status == PlanStatus.APPROVED and r.context["late"]
    assert gettext("approved after the date") in r.text and ">" + gettext("late") + "<" not in r.text


def test_the_decision_box_names_who_decides(world, login, plan, pcat, principal_person):
    r = login(world.users["principal_a1"]).get(url("detail", plan))
    assert gettext("Decision of %(unit)s") % {"unit": world.u("th_a1").name} in r.text
    # the principal's own plan is decided by the commune above the school
    ql = pcat.m["QL"]
    ql.hours_total = 40
    ql.save()
    me = as_person(principal_person)
    own = personal_services.plan_start(scope=me, person=principal_person, school_year=SchoolYear.of(YEAR))
    personal_services.plan_module_add(scope=me, plan=own, module=ql)
    own = personal_services.plan_submit(scope=me, plan=own)
    r = login(world.users["xa_a1"]).get(url("detail", own))
    assert gettext("Decision of %(unit)s") % {"unit": world.u("xa_a1").name} in r.text
    assert gettext("Decision of the school") not in r.text
