"""Deadline reminders: 7 days and 1 day before the date in force, only to whoever still owes (a
teacher whose plan is not submitted, a school with plans to approve, a unit whose plan is not
submitted or whose children's plans wait), and never twice: a rerun, or a run on the next day,
tells nobody again."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.notifications.models import Notification
from bdtx.notifications.reminders import reminders_send
from bdtx.notifications.tasks import reminders_send as reminders_task
from bdtx.plans.models import Deadline, DeadlineKind, PersonalPlan, PlanStatus, UnitPlan
from bdtx.regimes.models import Regime

pytestmark = pytest.mark.django_db

# The plans of 2027-2028 are due (TT 19/2019's default) on 31/05/2027.
SEVEN_BEFORE = date(2027, 5, 24)
ONE_BEFORE = date(2027, 5, 30)


def told() -> set[tuple[str, str]]:
    return set(Notification.objects.values_list("user__username", "kind"))


def plan(world, key: str, status: str) -> PersonalPlan:  # type: ignore[no-untyped-def]
    year = SchoolYear.of(2027)
    return PersonalPlan.objects.create(
        person=world.people[key],
        unit=world.u("th_a1"),
        school_year=year,
        regime=Regime.objects.for_year(year),
        status=status,
        submitted_at=timezone.now(),
    )


def test_seven_days_before_who_still_owes_is_told_and_who_is_done_is_not(world):
    plan(world, "mentor_a1", PlanStatus.SUBMITTED)
    reminders_send(today=date(2027, 5, 23))  # 8 days before: nothing yet
    assert told() == set()
    reminders_send(today=SEVEN_BEFORE)
    assert told() == {
        ("teacher_a1", "deadline.personal_plan"),  # no plan yet
        ("principal_a1", "deadline.plans_to_approve"),  # the core teacher's plan waits for them
    }
    n = Notification.objects.get(kind="deadline.personal_plan")
    assert n.title == "Kế hoạch BDTX năm học 2027-2028 của bạn: hạn chót là ngày 31/05/2027"
    assert "còn 7 ngày" in n.body


def test_reruns_and_the_next_days_tell_nobody_again_until_the_day_before(world):
    waiting = plan(world, "mentor_a1", PlanStatus.SUBMITTED)
    reminders_send(today=SEVEN_BEFORE)
    first = Notification.objects.count()
    reminders_send(today=SEVEN_BEFORE)
    reminders_send(today=date(2027, 5, 25))
    assert Notification.objects.count() == first == 2
    PersonalPlan.objects.filter(pk=waiting.pk).update(status=PlanStatus.APPROVED)  # the principal is done
    reminders_send(today=ONE_BEFORE)
    assert Notification.objects.count() == 3
    last = Notification.objects.latest("id")
    assert (last.user.username, last.kind) == ("teacher_a1", "deadline.personal_plan")
    assert "còn 1 ngày" in last.body
    reminders_send(today=date(2027, 5, 31))
    reminders_send(today=date(2027, 6, 1))  # past the date: no more reminders
    assert Notification.objects.count() == 3


def test_a_teacher_who_submitted_is_not_reminded(world):
    plan(world, "teacher_a1", PlanStatus.SUBMITTED)
    plan(world, "mentor_a1", PlanStatus.APPROVED)
    reminders_send(today=SEVEN_BEFORE)
    assert told() == {("principal_a1", "deadline.plans_to_approve")}


def test_unit_plans_remind_the_units_that_owe_and_the_offices_with_plans_waiting(world):
    for kind in (DeadlineKind.SCHOOL_PLAN, DeadlineKind.OFFICE_PLAN):
        Deadline.objects.create(unit=world.u("so_a"), school_year_id=2027, kind=kind, due_on=date(2027, 5, 31))
    for key in ("teacher_a1", "mentor_a1"):
        plan(world, key, PlanStatus.APPROVED)
    UnitPlan.objects.create(
        unit=world.u("th_a1"), school_year_id=2027, status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
    )
    reminders_send(today=SEVEN_BEFORE)
    assert told() == {
        ("principal_a2", "deadline.unit_plan"),  # thcs_a2's plan is not submitted
        ("xa_a1", "deadline.unit_plan"),  # its own plan, and th_a1's waiting for it
    }
    assert Notification.objects.filter(user__username="xa_a1").count() == 2
    # province B keeps the regulation's dates (30/06, 31/07): nothing there yet
    assert not Notification.objects.filter(user__username__in=["principal_b1", "so_b"]).exists()


def test_the_command_and_the_task_run_the_same_reminders(world, mailoutbox):
    out = StringIO()
    call_command("send_reminders", "--date", SEVEN_BEFORE.isoformat(), stdout=out)
    assert "plans.deadlines: " in out.getvalue()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(world.users[k].email for k in ("mentor_a1", "teacher_a1"))
    reminders_task.enqueue(ONE_BEFORE.isoformat())
    assert Notification.objects.filter(user=world.users["teacher_a1"]).count() == 2
