"""Personal plans: what a plan must hold (regime periods, modules that fit the person) and its
workflow (submit → approve or return → resubmit; reopen), each step recorded."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import Module
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.tests.factories import as_person
from bdtx.plans.models import Form, PlanEvent, PlanStatus
from bdtx.plans.personal import selectors as personal_selectors
from bdtx.plans.personal import services as personal_services
from bdtx.plans.personal.selectors import plan_problems
from bdtx.plans.personal.services import PENDING_CONTENT_TITLES
from bdtx.regimes.models import HoursShift, Programme

from .conftest import YEAR, content

pytestmark = pytest.mark.django_db


def start(world, key="teacher_a1"):  # type: ignore[no-untyped-def]
    person = world.people[key]
    return personal_services.plan_start(scope=as_person(person), person=person, school_year=SchoolYear.of(YEAR))


def add(plan, *modules):  # type: ignore[no-untyped-def]
    for m in modules:
        personal_services.plan_module_add(scope=as_person(plan.person), plan=plan, module=m)


def messages_of(exc: ValidationError) -> list[str]:
    return exc.messages


# --- starting a plan ----------------------------------------------------------------------------


def test_a_new_plan_includes_the_published_programme_01_and_02_content(world, pcat):
    content(world, bd01=(20, 20), bd02=(40,))
    plan = start(world)
    items = list(plan.items.order_by("programme", "pk"))
    assert [(i.programme, i.hours) for i in items] == [("BD01", 20), ("BD01", 20), ("BD02", 40)]
    assert all(i.content_id for i in items)
    assert plan.status == PlanStatus.DRAFT and plan.unit == world.u("th_a1")


def test_content_of_another_province_or_audience_is_not_included(world, pcat):
    content(world)
    from bdtx.catalog.models import ProgrammeContent

    ProgrammeContent.objects.create(
        unit=world.u("so_b"), school_year_id=YEAR, programme=Programme.BD02, title="Tỉnh Bình", hours=40
    )
    ProgrammeContent.objects.create(
        unit=world.u("bo"), school_year_id=YEAR, programme=Programme.BD01, title="Mầm non", hours=40, audience="GVMN"
    )
    plan = start(world)
    assert sorted(plan.items.values_list("title", flat=True)) == ["Chủ đề 01.0", "Chủ đề 02.0"]


def test_until_content_is_published_one_line_per_programme_stands_for_it(world, pcat):
    plan = start(world)
    lines = {i.programme: (i.title, i.hours, i.content_id) for i in plan.items.all()}
    assert lines == {
        "BD01": (PENDING_CONTENT_TITLES["BD01"], 40, None),
        "BD02": (PENDING_CONTENT_TITLES["BD02"], 40, None),
    }


def test_published_content_replaces_the_stand_in_line_when_the_plan_is_submitted(world, pcat):
    plan = start(world)
    add(plan, pcat.m["C40"])
    content(world, bd01=(25, 15))
    personal_services.plan_submit(scope=scope_for_user(plan.person.user), plan=plan)
    assert sorted(plan.items.filter(programme="BD01").values_list("hours", flat=True)) == [15, 25]
    assert not plan.items.filter(programme="BD01", content__isnull=True).exists()


def test_a_person_on_no_staff_list_cannot_start_a_plan(world, pcat):
    person = world.people["teacher_a1"]
    with pytest.raises(ValidationError):
        personal_services.plan_start(scope=as_person(person), person=person, school_year=SchoolYear.of(YEAR + 1))


def test_starting_twice_returns_the_same_plan(world, pcat):
    assert start(world) == start(world)


# --- periods --------------------------------------------------------------------------------------


def test_exactly_40_periods_of_programme_03_can_be_submitted(world, pcat):
    content(world)
    plan = start(world)
    add(plan, pcat.m["A20"], pcat.m["B20"])
    assert plan_problems(plan=plan) == []
    personal_services.plan_submit(scope=scope_for_user(plan.person.user), plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_at


def test_39_periods_of_programme_03_are_refused(world, pcat):
    content(world)
    plan = start(world)
    add(plan, pcat.m["A20"], pcat.m["D19"])
    with pytest.raises(ValidationError) as exc:
        personal_services.plan_submit(scope=scope_for_user(plan.person.user), plan=plan)
    expected = _("Programme 03: choose modules for %(n)s more periods (%(need)s periods are required).") % {
        "n": 1,
        "need": 40,
    }
    assert expected in messages_of(exc.value)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_41_periods_of_programme_03_are_refused(world, pcat):
    content(world)
    plan = start(world)
    add(plan, pcat.m["A20"], pcat.m["D19"])
    # the catalog's periods of D19 were corrected after it was chosen: the plan now has 41 periods
    Module.objects.filter(pk=pcat.m["D19"].pk).update(hours_total=21)
    with pytest.raises(ValidationError) as exc:
        personal_services.plan_submit(scope=scope_for_user(plan.person.user), plan=plan)
    expected = _("Programme 03 has %(have)s periods: remove modules to reach exactly %(need)s.") % {
        "have": 41,
        "need": 40,
    }
    assert expected in messages_of(exc.value)


def test_programme_01_content_short_of_the_regime_is_refused_and_so_is_the_total(world, pcat):
    content(world, bd01=(35,))
    plan = start(world)
    add(plan, pcat.m["C40"])
    problems = plan_problems(plan=plan)
    assert len(problems) == 2
    assert (
        _("In total the plan has %(have)s periods; %(need)s are required.") % {"have": 115, "need": 120}
    ) in problems


def test_the_provinces_split_of_01_and_02_is_what_the_plan_must_meet(world, pcat):
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=YEAR, bd01_hours=30, bd02_hours=50)
    content(world, bd01=(30,), bd02=(50,))
    plan = start(world)
    add(plan, pcat.m["C40"])
    assert plan_problems(plan=plan) == []
    assert personal_selectors.plan_required_hours(plan=plan).bd01 == 30


def test_the_split_of_another_province_does_not_apply(world, pcat):
    HoursShift.objects.create(unit=world.u("so_b"), school_year_id=YEAR, bd01_hours=30, bd02_hours=50)
    content(world, bd01=(30,), bd02=(50,))
    plan = start(world)
    add(plan, pcat.m["C40"])
    assert len(plan_problems(plan=plan)) == 2  # 01 has 30 of 40, 02 has 50 of 40


# --- modules --------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["QL", "THCS", "OLD", "N"])
def test_a_module_that_does_not_fit_the_person_or_has_no_periods_is_refused(world, pcat, code):
    plan = start(world)
    with pytest.raises(ValidationError):
        add(plan, pcat.m[code])
    assert not plan.items.filter(module=pcat.m[code]).exists()


def test_a_module_of_another_audience_is_refused_with_the_audience_named(world, pcat):
    plan = start(world)
    with pytest.raises(ValidationError) as exc:
        add(plan, pcat.m["QL"])
    assert messages_of(exc.value) == [
        _("Module %(code)s is for %(audience)s.") % {"code": "QL", "audience": pcat.m["QL"].get_audience_display()}
    ]


def test_the_same_module_twice_is_refused(world, pcat):
    plan = start(world)
    add(plan, pcat.m["A20"])
    with pytest.raises(ValidationError) as exc:
        add(plan, pcat.m["A20"])
    assert messages_of(exc.value) == [_("Module %(code)s is already in your plan.") % {"code": "A20"}]


def test_a_module_no_longer_offered_after_it_was_added_blocks_the_submission(world, pcat):
    content(world)
    plan = start(world)
    add(plan, pcat.m["C40"])
    pcat.m["C40"].active = False
    pcat.m["C40"].save()
    assert len(plan_problems(plan=plan)) == 1


def test_form_and_months_of_a_line_can_be_changed_within_the_school_year(world, pcat):
    plan = start(world)
    add(plan, pcat.m["C40"])
    item = plan.items.get(module=pcat.m["C40"])
    personal_services.plan_item_update(
        scope=scope_for_user(plan.person.user),
        plan=plan,
        item=item,
        form=Form.DISTANCE,
        start_month=date(2026, 10, 1),
        end_month=date(2026, 12, 1),
    )
    item.refresh_from_db()
    assert (item.form, item.start_month, item.end_month) == (Form.DISTANCE, date(2026, 10, 1), date(2026, 12, 1))
    with pytest.raises(ValidationError):
        personal_services.plan_item_update(
            scope=scope_for_user(plan.person.user),
            plan=plan,
            item=item,
            form=Form.DISTANCE,
            start_month=date(2027, 7, 1),
            end_month=None,
        )
    with pytest.raises(ValidationError):
        personal_services.plan_item_update(
            scope=scope_for_user(plan.person.user),
            plan=plan,
            item=item,
            form=Form.DISTANCE,
            start_month=date(2026, 12, 1),
            end_month=date(2026, 10, 1),
        )


def test_programme_01_lines_cannot_be_removed_but_modules_can(world, pcat):
    plan = start(world)
    add(plan, pcat.m["C40"])
    with pytest.raises(ValidationError):
        personal_services.plan_item_remove(
            scope=scope_for_user(plan.person.user), plan=plan, item=plan.items.get(programme=Programme.BD01)
        )
    personal_services.plan_item_remove(
        scope=scope_for_user(plan.person.user), plan=plan, item=plan.items.get(module=pcat.m["C40"])
    )
    assert not plan.items.filter(programme=Programme.BD03).exists()


def test_only_the_person_changes_their_plan(world, pcat, principal_person):
    plan = start(world)
    with pytest.raises(PermissionDenied):
        personal_services.plan_module_add(
            scope=scope_for_user(world.users["principal_a1"]), plan=plan, module=pcat.m["A20"]
        )
    with pytest.raises(PermissionDenied):
        personal_services.plan_submit(scope=scope_for_user(world.users["principal_a1"]), plan=plan)


# --- workflow -------------------------------------------------------------------------------------


@pytest.fixture
def submitted(world, pcat):  # type: ignore[no-untyped-def]
    content(world)
    plan = start(world)
    add(plan, pcat.m["C40"])
    return personal_services.plan_submit(scope=scope_for_user(plan.person.user), plan=plan)


def test_the_school_approves_a_submitted_plan_and_it_becomes_read_only(world, pcat, submitted):
    principal = world.users["principal_a1"]
    plan = personal_services.plan_approve(scope=scope_for_user(principal), plan=submitted, comment="Đồng ý")
    assert (plan.status, plan.decided_by, plan.comment) == (PlanStatus.APPROVED, principal, "Đồng ý")
    with pytest.raises(ValidationError):
        add(plan, pcat.m["A20"])
    with pytest.raises(ValidationError):
        personal_services.plan_item_update(
            scope=scope_for_user(plan.person.user), plan=plan, item=plan.items.first(), form=Form.DISTANCE,
            start_month=None, end_month=None,
        )  # fmt: skip


def test_returning_needs_a_comment_and_lets_the_teacher_revise_and_resubmit(world, pcat, submitted):
    principal = world.users["principal_a1"]
    with pytest.raises(ValidationError):
        personal_services.plan_return(scope=scope_for_user(principal), plan=submitted, comment="  ")
    plan = personal_services.plan_return(
        scope=scope_for_user(principal), plan=submitted, comment="Chọn thêm mô đun 20 tiết"
    )
    assert plan.status == PlanStatus.RETURNED and plan.comment == "Chọn thêm mô đun 20 tiết"
    teacher = scope_for_user(plan.person.user)
    personal_services.plan_item_remove(scope=teacher, plan=plan, item=plan.items.get(module=pcat.m["C40"]))
    add(plan, pcat.m["A20"], pcat.m["B20"])
    plan = personal_services.plan_submit(scope=teacher, plan=plan)
    assert plan.status == PlanStatus.SUBMITTED
    plan = personal_services.plan_approve(scope=scope_for_user(principal), plan=plan)
    assert list(plan.events.values_list("action", flat=True)) == [
        "plan.create",
        "plan.submit",
        "plan.return",
        "plan.submit",
        "plan.approve",
    ]


def test_every_step_is_recorded_with_who_and_when(world, pcat, submitted):
    principal = world.users["principal_a1"]
    personal_services.plan_approve(scope=scope_for_user(principal), plan=submitted)
    events = list(PlanEvent.objects.filter(plan=submitted))
    assert [(e.action, e.actor_id) for e in events] == [
        ("plan.create", submitted.person.user_id),
        ("plan.submit", submitted.person.user_id),
        ("plan.approve", principal.pk),
    ]
    assert all(e.at for e in events)
    actions = set(AuditLog.objects.filter(object_uuid=submitted.uuid).values_list("action", flat=True))
    assert {"plan.create", "plan.item_add", "plan.submit", "plan.approve"} <= actions


def test_a_draft_cannot_be_approved_nor_an_approved_plan_approved_again(world, pcat, submitted):
    principal = world.users["principal_a1"]
    personal_services.plan_approve(scope=scope_for_user(principal), plan=submitted)
    with pytest.raises(ValidationError):
        personal_services.plan_approve(scope=scope_for_user(principal), plan=submitted)
    other = start(world, "colleague_a1")
    with pytest.raises(ValidationError):
        personal_services.plan_approve(scope=scope_for_user(principal), plan=other)


def test_nobody_decides_on_their_own_plan(world, pcat, principal_person):
    content(world)
    plan = personal_services.plan_start(
        scope=scope_for_user(principal_person.user), person=principal_person, school_year=SchoolYear.of(YEAR)
    )
    personal_services.plan_module_add(
        scope=scope_for_user(principal_person.user), plan=plan, module=_manager_module(pcat)
    )
    personal_services.plan_submit(scope=scope_for_user(principal_person.user), plan=plan)
    with pytest.raises(ValidationError) as exc:
        personal_services.plan_approve(scope=scope_for_user(principal_person.user), plan=plan)
    assert messages_of(exc.value) == [_("You cannot decide on your own plan: the school or the office above does.")]
    # the office above decides
    assert (
        personal_services.plan_approve(scope=scope_for_user(world.users["xa_a1"]), plan=plan).status
        == PlanStatus.APPROVED
    )


def _manager_module(pcat):  # type: ignore[no-untyped-def]
    m = pcat.m["QL"]
    m.hours_total = 40
    m.save()
    return m


def test_the_school_reopens_an_approved_plan_with_a_reason(world, pcat, submitted):
    principal = world.users["principal_a1"]
    plan = personal_services.plan_approve(scope=scope_for_user(principal), plan=submitted)
    with pytest.raises(ValidationError):
        personal_services.plan_reopen(scope=scope_for_user(principal), plan=plan, comment="")
    plan = personal_services.plan_reopen(scope=scope_for_user(principal), plan=plan, comment="Sở đổi mô đun trọng tâm")
    assert plan.status == PlanStatus.RETURNED
    item = plan.items.get(programme="BD03")
    personal_services.plan_item_remove(scope=as_person(plan.person), plan=plan, item=item)  # editable again
    add(plan, pcat.m["A20"])
    assert plan.events.last().action == "plan.reopen"


def test_the_services_check_who_acts_not_only_the_views(world, pcat, submitted):
    """An API, a task or the admin reach the services without a view: the service refuses by itself."""
    with pytest.raises(PermissionDenied):  # a principal of another province
        personal_services.plan_approve(scope=scope_for_user(world.users["principal_b1"]), plan=submitted)
    with pytest.raises(PermissionDenied):  # a colleague at the same school, no approval right
        personal_services.plan_return(scope=scope_for_user(world.users["mentor_a1"]), plan=submitted, comment="x")
    with pytest.raises(PermissionDenied):  # nobody starts someone else's plan
        personal_services.plan_start(
            scope=scope_for_user(world.users["principal_a1"]),
            person=world.people["colleague_a1"],
            school_year=SchoolYear.of(YEAR),
        )
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.SUBMITTED


def test_a_module_that_would_take_programme_03_over_its_periods_is_refused(world, pcat):
    plan = start(world)
    add(plan, pcat.m["C40"])
    with pytest.raises(ValidationError) as exc:
        add(plan, pcat.m["A20"])
    assert "40" in " ".join(exc.value.messages)
    assert plan.items.filter(programme="BD03").count() == 1


# --- copies for loaders (the demo) --------------------------------------------------------------


def test_copies_of_an_exemplar_take_its_lines_and_the_events_of_their_status(world, pcat):
    from bdtx.core.scope import SYSTEM
    from bdtx.people.models import Employment

    content(world)
    exemplar = start(world)
    add(exemplar, pcat.m["A20"], pcat.m["B20"])
    jobs = {j.person_id: j for j in Employment.objects.filter(school_year_id=YEAR).exclude(person=exemplar.person)}
    a, b = list(jobs.values())[:2]
    n = personal_services.plan_copies_create(
        scope=SYSTEM, exemplar=exemplar, copies=[(a, PlanStatus.APPROVED), (b, PlanStatus.RETURNED)], comment="Sửa"
    )
    assert n == 2
    for job, status, steps in (
        (a, PlanStatus.APPROVED, {"plan.create", "plan.submit", "plan.approve"}),
        (b, PlanStatus.RETURNED, {"plan.create", "plan.submit", "plan.return"}),
    ):
        plan = job.person.plans.get(school_year_id=YEAR)
        assert plan.status == status and plan.unit_id == job.unit_id
        assert sorted(plan.items.values_list("title", "hours")) == sorted(exemplar.items.values_list("title", "hours"))
        assert set(plan.events.values_list("action", flat=True)) == steps
    assert AuditLog.objects.filter(action="plan.copies_create").count() == 1


def test_copies_are_for_the_system_only_and_never_send_up_a_plan_that_cannot_be_submitted(world, pcat):
    from bdtx.core.scope import SYSTEM
    from bdtx.people.models import Employment

    content(world)
    exemplar = start(world)
    add(exemplar, pcat.m["A20"])  # 20 of the 40 periods of programme 03
    job = Employment.objects.filter(school_year_id=YEAR).exclude(person=exemplar.person).first()
    with pytest.raises(PermissionDenied):
        personal_services.plan_copies_create(
            scope=scope_for_user(world.users["so_a"]), exemplar=exemplar, copies=[(job, PlanStatus.DRAFT)]
        )
    with pytest.raises(ValidationError):
        personal_services.plan_copies_create(scope=SYSTEM, exemplar=exemplar, copies=[(job, PlanStatus.SUBMITTED)])
    assert personal_services.plan_copies_create(scope=SYSTEM, exemplar=exemplar, copies=[(job, PlanStatus.DRAFT)]) == 1
