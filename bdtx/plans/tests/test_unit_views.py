import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.organisations.models import UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import Person
from bdtx.plans.models import Deadline, DeadlineKind, PlanItem, PlanStatus, UnitPlan
from bdtx.plans.tests.unit_fixtures import *  # noqa: F403
from bdtx.plans.tests.unit_fixtures import plan_for
from bdtx.plans.unit.services import unit_plan_compile, unit_plan_submit

pytestmark = pytest.mark.django_db

BOARD = reverse("plans:board")


def compiled(world, user="principal_a1", unit="th_a1"):
    return unit_plan_compile(
        scope=scope_for_user(world.users[user]), unit=world.u(unit), school_year=school_year_current()
    )


def submitted(world, user="principal_a1", unit="th_a1"):
    return unit_plan_submit(
        incomplete_ok=True, scope=scope_for_user(world.users[user]), plan=compiled(world, user, unit)
    )


def detail(plan):
    return reverse("plans:unit_plan", args=[plan.uuid])


def on(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=9))


# --- status board ------------------------------------------------------------------------------


def test_office_board_shows_each_school_with_its_status_and_counts(world, login, tree):
    submitted(world)
    r = login(world.users["xa_a1"]).get(BOARD)
    assert r.status_code == 200
    board = r.context["board"]
    assert board.unit == world.u("xa_a1")
    assert {row.unit.name: row.status for row in board.rows} == {
        "Trường Tiểu học Đông": PlanStatus.SUBMITTED,
        "Trường Tiểu học Đông Hai": "missing",
    }
    assert board.counts.submitted == 1 and board.counts.missing == 1 and board.total == 2
    assert world.u("thcs_a2").name not in r.text


def test_board_flags_units_late_against_the_deadline_that_applies(world, login):
    year = school_year_current()
    plan = compiled(world)
    UnitPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED, submitted_at=on(date(year.pk, 6, 1)))
    c = login(world.users["so_a"])
    rows = {r.unit.pk: r for r in c.get(BOARD, {"unit": world.u("xa_a1").uuid}).context["board"].rows}
    assert rows[world.u("th_a1").pk].due == date(year.pk, 6, 30)  # the regulation's default
    assert not rows[world.u("th_a1").pk].late
    Deadline.objects.create(
        unit=world.u("so_a"), school_year=year, kind=DeadlineKind.SCHOOL_PLAN, due_on=date(year.pk, 5, 15)
    )
    board = c.get(BOARD, {"unit": world.u("xa_a1").uuid}).context["board"]
    row = next(r for r in board.rows if r.unit == world.u("th_a1"))
    assert row.due == date(year.pk, 5, 15) and row.late and board.late == 1


def test_board_filters_by_status(world, login, tree):
    submitted(world)
    c = login(world.users["xa_a1"])
    rows = c.get(BOARD, {"status": "missing"}).context["board"].rows
    assert [r.unit for r in rows] == [world.u("th_a1b")]
    late = {r.unit for r in c.get(BOARD, {"status": "late"}).context["board"].rows}
    assert late == {world.u("th_a1"), world.u("th_a1b")}  # submitted today, after the June deadline; missing


def test_ministry_sees_the_board_of_all_provinces_and_drills_down(world, login):
    c = login(world.users["ministry"])
    board = c.get(BOARD).context["board"]
    assert board.unit == world.u("bo")
    assert {r.unit for r in board.rows} == {world.u("so_a"), world.u("so_b")}
    r = c.get(BOARD, {"unit": world.u("so_b").uuid})
    assert r.status_code == 200 and [x.unit for x in r.context["board"].rows] == [world.u("xa_b1")]


def test_province_board_lists_offices_and_its_own_schools_not_the_dissolved_district(world, login):
    board = login(world.users["so_a"]).get(BOARD).context["board"]
    assert {r.unit for r in board.rows} == {world.u("xa_a1"), world.u("xa_a2"), world.u("thpt_a")}
    old = login(world.users["so_a"]).get(BOARD, {"year": 2024}).context["board"]
    assert world.u("phong_a") in {r.unit for r in old.rows}


def test_principal_board_shows_the_schools_own_plan(world, login):
    r = login(world.users["principal_a1"]).get(BOARD)
    assert r.status_code == 200 and r.context["board"].total == 0 and r.context["can_act"]
    assert reverse("plans:unit_plan_compile", args=[world.u("th_a1").uuid]) in r.text


def test_board_of_another_province_or_office_is_not_found(world, login):
    assert login(world.users["so_b"]).get(BOARD, {"unit": world.u("so_a").uuid}).status_code == 404
    assert login(world.users["xa_a1"]).get(BOARD, {"unit": world.u("xa_a2").uuid}).status_code == 404
    assert login(world.users["principal_a1"]).get(BOARD, {"unit": world.u("xa_a1").uuid}).status_code == 404
    assert login(world.users["so_a"]).get(BOARD, {"unit": "not-a-uuid"}).status_code == 404


def test_board_is_forbidden_without_the_plans_permission(world, login):
    for user in ("institution", "norole", "teacher_a1"):
        assert login(world.users[user]).get(BOARD).status_code == 403, user
    assert login(world.users["institution"]).get(BOARD, {"unit": world.u("cs_dt").uuid}).status_code == 403


def test_board_query_count_does_not_grow_with_children(world, login, django_assert_max_num_queries):
    year = school_year_current()
    c = login(world.users["xa_a1"])
    c.get(BOARD)  # warm the session
    UnitPlan.objects.create(unit=world.u("th_a1"), school_year=year, status=PlanStatus.SUBMITTED, totals={})
    with django_assert_max_num_queries(40) as few:
        assert c.get(BOARD).status_code == 200
    for n in range(12):
        school = unit_create(
            scope=SYSTEM, kind=UnitKind.SCHOOL, name=f"Trường {n}", code=f"S{n}", parent=world.u("xa_a1"),
            valid_from=date(2000, 1, 1),
        )  # fmt: skip
        if n % 2:
            UnitPlan.objects.create(unit=school, school_year=year, status=PlanStatus.APPROVED, totals={})
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get(BOARD)
    assert r.context["board"].total == 13


def test_board_shows_each_units_approved_personal_plans_of_its_people_today(world, login, catalogue):
    """Whether or not a unit compiled its plan, the board counts, as of now, the people in scope in
    each unit's subtree and those with an approved personal plan; the ministry compares provinces so."""
    from bdtx.people.models import Employment
    from bdtx.plans.unit.selectors import live_coverage

    year = school_year_current()
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)  # approved
    plan_for(world.people["principal_a1"], world.u("th_a1"), catalogue, status=PlanStatus.SUBMITTED)
    staff = Employment.objects.filter(school_year=year, unit=world.u("th_a1"), status__in=("working", "leave"))
    assert staff.count() >= 2
    coverage = live_coverage(unit=world.u("xa_a1"), school_year=year)
    assert coverage[world.u("th_a1").pk].approved == 1
    assert coverage[world.u("th_a1").pk].in_scope == staff.count()
    # One level up the school's people count in its commune's row.
    upper = live_coverage(unit=world.u("xa_a1").parent, school_year=year)
    assert upper[world.u("xa_a1").pk].approved == 1
    html = login(world.users["xa_a1"]).get(BOARD).content.decode()
    assert f"1 / {staff.count()}" in html


# --- the unit plan page and its actions --------------------------------------------------------


def test_office_opens_a_submitted_school_plan_and_approves_it(world, login, catalogue):
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)
    plan = submitted(world)
    c = login(world.users["xa_a1"])
    r = c.get(detail(plan))
    assert r.status_code == 200 and r.context["can_decide"] and not r.context["can_act"]
    assert catalogue.modules[0].title in r.text
    r = c.post(reverse("plans:unit_plan_decide", args=[plan.uuid]), {"decision": "approve", "comment": "Đồng ý"})
    assert r.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == world.users["xa_a1"]


def test_office_returns_a_plan_only_with_a_comment(world, login):
    plan = submitted(world)
    c = login(world.users["xa_a1"])
    url = reverse("plans:unit_plan_decide", args=[plan.uuid])
    c.post(url, {"decision": "return", "comment": ""})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    c.post(url, {"decision": "return", "comment": "Thiếu số liệu"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.comment == "Thiếu số liệu"
    r = login(world.users["principal_a1"]).get(detail(plan))
    assert "Thiếu số liệu" in r.text and r.context["can_act"]


def test_principal_compiles_and_submits_through_the_pages(world, login, catalogue):
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)
    c = login(world.users["principal_a1"])
    year = school_year_current()
    r = c.post(reverse("plans:unit_plan_compile", args=[world.u("th_a1").uuid]), {"year": year.pk})
    plan = UnitPlan.objects.get(unit=world.u("th_a1"), school_year=year)
    assert r.status_code == 302 and r.url == detail(plan)
    page = c.get(detail(plan))
    assert page.context["coverage"] == (1, 4) and not page.context["complete"]
    assert 'name="incomplete_ok"' in page.text  # 1 of 4 people: the page asks before sending
    r = c.post(reverse("plans:unit_plan_submit", args=[plan.uuid]), {"number": "12/KH-THĐ"}, follow=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and gettext("Submit it incomplete") in r.text
    c.post(reverse("plans:unit_plan_submit", args=[plan.uuid]), {"number": "12/KH-THĐ", "incomplete_ok": "on"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.number == "12/KH-THĐ"
    r = c.post(reverse("plans:unit_plan_compile", args=[world.u("th_a1").uuid]), {"year": year.pk}, follow=True)
    assert r.status_code == 200
    assert list(plan.events.values_list("action", flat=True)) == ["unit_plan.compile", "unit_plan.submit"]


def test_school_cannot_approve_its_own_plan_through_the_page(world, login):
    plan = submitted(world)
    r = login(world.users["principal_a1"]).post(
        reverse("plans:unit_plan_decide", args=[plan.uuid]), {"decision": "approve"}
    )
    assert r.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_office_cannot_compile_or_submit_for_a_school(world, login):
    c = login(world.users["xa_a1"])
    url = reverse("plans:unit_plan_compile", args=[world.u("th_a1").uuid])
    assert c.post(url, {"year": school_year_current().pk}).status_code == 403
    plan = compiled(world)
    assert c.post(reverse("plans:unit_plan_submit", args=[plan.uuid])).status_code == 403


def test_unit_plan_pages_of_another_branch_are_not_found(world, login):
    plan = submitted(world)
    th = world.u("th_a1").uuid
    year = school_year_current().pk
    for user in ("so_b", "principal_a2", "principal_b1", "teacher_a1", "institution"):
        c = login(world.users[user])
        assert c.get(detail(plan)).status_code == 404, user
        assert c.post(reverse("plans:unit_plan_decide", args=[plan.uuid]), {"decision": "approve"}).status_code == 404
        assert c.post(reverse("plans:unit_plan_submit", args=[plan.uuid])).status_code == 404
        assert c.post(reverse("plans:unit_plan_compile", args=[th]), {"year": year}).status_code == 404
        assert c.get(reverse("plans:unit_plan_docx", args=[plan.uuid])).status_code == 404
        assert c.get(reverse("plans:unit_participants", args=[th])).status_code == 404
        assert c.get(reverse("plans:unit_plan_of", args=[th, year])).status_code == 404
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED


def test_unit_plan_pages_are_forbidden_without_the_plans_permission(world, login):
    year = school_year_current()
    plan = UnitPlan.objects.create(
        unit=world.u("cs_dt"), school_year=year, totals={"staff": {}}, compiled_at=timezone.now()
    )
    c = login(world.users["institution"])  # sees its institution, holds no plan permission there
    cs = world.u("cs_dt").uuid
    assert c.get(detail(plan)).status_code == 403
    assert c.get(reverse("plans:unit_plan_docx", args=[plan.uuid])).status_code == 403
    assert c.get(reverse("plans:unit_participants", args=[cs])).status_code == 403
    assert c.get(reverse("plans:unit_plan_of", args=[cs, year.pk])).status_code == 403
    assert c.post(reverse("plans:unit_plan_compile", args=[cs]), {"year": year.pk}).status_code == 403
    assert c.post(reverse("plans:unit_plan_submit", args=[plan.uuid])).status_code == 403
    assert c.post(reverse("plans:unit_plan_decide", args=[plan.uuid]), {"decision": "approve"}).status_code == 403


def test_action_urls_answer_only_to_post(world, login):
    plan = compiled(world)
    c = login(world.users["principal_a1"])
    assert c.get(reverse("plans:unit_plan_submit", args=[plan.uuid])).status_code == 405
    assert c.get(reverse("plans:unit_plan_compile", args=[world.u("th_a1").uuid])).status_code == 405


def test_plan_of_a_unit_and_year_redirects_to_the_plan_or_offers_to_compile(world, login):
    c = login(world.users["principal_a1"])
    year = school_year_current().pk
    url = reverse("plans:unit_plan_of", args=[world.u("th_a1").uuid, year])
    r = c.get(url)
    assert r.status_code == 200 and r.context["can_act"]
    plan = compiled(world)
    assert c.get(url).url == detail(plan)
    assert c.get(reverse("plans:unit_plan_of", args=[world.u("th_a1").uuid, 1990])).status_code == 404


def test_sensitive_breakdown_is_shown_only_to_roles_allowed_to_see_it(world, login, catalogue):
    Person.objects.filter(pk=world.people["teacher_a1"].pk).update(ethnicity_id="02")
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue)
    plan = compiled(world)
    r = login(world.users["so_a"]).get(detail(plan))
    assert r.context["sensitive"] and gettext("Ethnic minority") in r.text
    r = login(world.users["ministry"]).get(detail(plan))
    assert r.status_code == 200 and not r.context["sensitive"] and gettext("Ethnic minority") not in r.text


# --- downloads ---------------------------------------------------------------------------------


def test_docx_download_of_a_compiled_plan(world, login):
    plan = compiled(world)
    r = login(world.users["xa_a1"]).get(reverse("plans:unit_plan_docx", args=[plan.uuid]))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert r.content[:2] == b"PK" and ".docx" in r["Content-Disposition"]


def test_docx_of_a_plan_never_compiled_is_not_found(world, login):
    plan = UnitPlan.objects.create(unit=world.u("th_a1"), school_year=school_year_current())
    assert login(world.users["principal_a1"]).get(reverse("plans:unit_plan_docx", args=[plan.uuid])).status_code == 404


def _sheet(content):
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_participant_list_with_sensitive_columns_is_logged(world, login, tree):
    c = login(world.users["so_a"])
    r = c.get(reverse("plans:unit_participants", args=[world.u("xa_a1").uuid]))
    assert r.status_code == 200
    rows = _sheet(r.content)
    header = rows[3]
    assert gettext("Ethnic minority") in header and gettext("Female") in header
    expected = PlanItem.objects.filter(
        plan__unit__in=[world.u("th_a1"), world.u("th_a1b")], plan__status=PlanStatus.APPROVED, programme="BD03"
    ).count()
    assert len(rows) - 4 == expected > 0
    log = AuditLog.objects.get(action="sensitive.read", actor=world.users["so_a"])
    assert log.unit_path == world.u("xa_a1").path and int(log.object_repr) == len(rows) - 4


def test_participant_list_for_the_ministry_has_no_sensitive_columns(world, login, tree):
    r = login(world.users["ministry"]).get(reverse("plans:unit_participants", args=[world.u("so_a").uuid]))
    header = _sheet(r.content)[3]
    assert gettext("Ethnic minority") not in header and gettext("Female") not in header
    assert gettext("Module") in header
    assert not AuditLog.objects.filter(action="sensitive.read").exists()


def test_participant_list_of_one_module(world, login, tree):
    module = tree.cat.modules[2]
    c = login(world.users["principal_a1"])
    url = reverse("plans:unit_participants", args=[world.u("th_a1").uuid])
    rows = _sheet(c.get(url, {"module": module.uuid}).content)[4:]
    assert rows and all(row[-2].startswith(module.code) for row in rows)
    assert c.get(url, {"module": "nonsense"}).status_code == 404


def test_a_plan_sent_after_the_date_is_not_shown_as_still_late(world, login, tree):
    submitted(world)  # submitted today, after the June deadline
    r = login(world.users["xa_a1"]).get(BOARD)
    rows = {row.unit: row for row in r.context["board"].rows}
    sent, missing = rows[world.u("th_a1")], rows[world.u("th_a1b")]
    assert sent.sent_late and not sent.overdue and missing.overdue and not missing.sent_late
    assert gettext("sent after the date") in r.text and r.text.count('badge text-bg-danger">' + gettext("late")) == 1


def test_a_unit_plan_compiled_by_the_system_names_the_system_in_its_history(world, login):
    # a plan compiled by a loader or a task has steps without a person: the page said nothing and
    # failed with a 500 (`actor.get_full_name|default:actor.username` with no actor)
    plan = unit_plan_compile(scope=SYSTEM, unit=world.u("th_a1"), school_year=school_year_current())
    assert plan.events.filter(actor__isnull=True).exists()
    r = login(world.users["principal_a1"]).get(detail(plan))
    assert r.status_code == 200
    assert "hệ thống" in r.text
