"""What plans tell people (registered from `PlansConfig.ready`): a personal plan returned or
approved, a unit plan returned or approved, and the deadline reminders — 7 days and 1 day before
the date in force — for whoever still owes something: a teacher whose plan is not submitted, a
school with personal plans waiting for approval, a unit whose own plan is not submitted or whose
children's plans wait for its decision.

The reminders are set-based: one query per deadline kind and school year finds the people (the date
in force for each unit computed by the database, as on the plan lists), and `notify` writes in
batches. An event key names the kind, the school year, the date and the stage (7 or 1), so a rerun,
or a run after missed days, tells nobody twice; a date moved by an authority is a new event.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bdtx.accounts.models import ROLE_PERMISSIONS, Role, RoleAssignment
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm
from bdtx.notifications.kinds import NotificationKind
from bdtx.notifications.services import notify
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment, EmploymentStatus
from bdtx.plans.deadlines.selectors import UNIT_PLAN_DEADLINE, DeadlineIndex, default_deadline
from bdtx.plans.models import Deadline, DeadlineKind, PersonalPlan, PlanStatus, UnitPlan

DECIDERS = frozenset({Perm.PLANS_APPROVE})  # whom unit plans and plans to approve concern

KINDS = [
    NotificationKind(
        "plan.returned", _("My plan was returned"), _("The school sent your personal plan back with what to change.")
    ),
    NotificationKind("plan.approved", _("My plan was approved"), _("The school approved your personal plan.")),
    NotificationKind(
        "unit_plan.returned",
        _("A unit plan was returned"),
        _("The unit above sent your unit's plan back with what to change."),
        permissions=DECIDERS,
    ),
    NotificationKind(
        "unit_plan.approved",
        _("A unit plan was approved"),
        _("The unit above approved your unit's plan."),
        permissions=DECIDERS,
    ),
    NotificationKind(
        "deadline.personal_plan",
        _("My plan's deadline is near"),
        _("7 days and 1 day before the deadline, while your personal plan is not submitted."),
    ),
    NotificationKind(
        "deadline.plans_to_approve",
        _("Plans waiting for my approval, deadline near"),
        _("7 days and 1 day before the deadline, while personal plans wait for your approval."),
        permissions=DECIDERS,
    ),
    NotificationKind(
        "deadline.unit_plan",
        _("My unit's plan deadline is near"),
        _(
            "7 days and 1 day before the deadline, while your unit's plan is not submitted or the plans of "
            "the units under it wait for your decision."
        ),
        permissions=DECIDERS,
    ),
]

WINDOW = 7  # the first reminder: 7 days before (or on the first run after that day)
LAST = 1  # the second: 1 day before (or on the day itself)
SUBMITTED = (PlanStatus.SUBMITTED, PlanStatus.APPROVED)


def deciders(unit_ids: QuerySet, perm: str = Perm.PLANS_APPROVE) -> QuerySet:
    """User ids of the active role holders at those units who decide plans there (or, given
    `perm`, who hold that permission there)."""
    roles = [r for r, perms in ROLE_PERMISSIONS.items() if perm in perms and r != Role.SYSTEM_ADMIN]
    return (
        RoleAssignment.objects.filter(active=True, role__in=roles, unit_id__in=unit_ids)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _index(kind: str, year: SchoolYear) -> DeadlineIndex:
    rows = list(Deadline.objects.filter(kind=kind, school_year_id=year.start_year).select_related("unit"))
    return DeadlineIndex(kind=kind, school_year=year, rows=rows, default=default_deadline(kind=kind, school_year=year))


def _dates(index: DeadlineIndex, today: date) -> list[date]:
    """The dates in force somewhere that are due within the window (none: nothing to do)."""
    last = today + timedelta(days=WINDOW)
    return sorted({e.due_on for e in index.entries if today <= e.due_on <= last})


def _stage(due: date, today: date) -> int:
    return LAST if (due - today).days <= LAST else WINDOW


def _tell(
    kind: str,
    user_ids: Iterable[int],
    *,
    year: SchoolYear,
    due: date,
    today: date,
    title: str | Promise,
    body: str | Promise,
    url: str,
    what: str = "",
) -> int:
    return notify(
        user_ids=user_ids,
        kind=kind,
        event_key=f"{kind}:{what}{year.start_year}:{due.isoformat()}:{_stage(due, today)}",
        title=title,
        body=body,
        url=url,
        params={"year": str(year), "date": f"{due:%d/%m/%Y}", "days": (due - today).days},
    )


def _personal_plan_reminders(year: SchoolYear, today: date) -> int:
    index = _index(DeadlineKind.PERSONAL_PLAN, year)
    dates = _dates(index, today)
    if not dates:
        return 0
    # Who works in the plan's year; before that year's staff lists exist, who works in the year before.
    has_year = Employment.objects.filter(person_id=OuterRef("person_id"), school_year_id=year.start_year)
    staff = (
        Employment.objects.filter(status=EmploymentStatus.WORKING, person__user__isnull=False)
        .filter(Q(school_year_id=year.start_year) | Q(school_year_id=year.start_year - 1) & ~Exists(has_year))
        .annotate(due_on=index.case("unit__path"))
        .exclude(
            Exists(
                PersonalPlan.objects.filter(
                    person_id=OuterRef("person_id"), school_year_id=year.start_year, status__in=SUBMITTED
                )
            )
        )
    )
    waiting = PersonalPlan.objects.filter(school_year_id=year.start_year, status=PlanStatus.SUBMITTED).annotate(
        due_on=index.case("unit__path")
    )
    count = 0
    for due in dates:
        count += _tell(
            "deadline.personal_plan",
            staff.filter(due_on=due).values_list("person__user_id", flat=True).order_by().iterator(chunk_size=2000),
            year=year,
            due=due,
            today=today,
            title=_("Your BDTX plan for %(year)s: the deadline is %(date)s"),
            body=_(
                "Your personal plan is not submitted yet. The school must approve it by %(date)s "
                "(%(days)s day(s) left)."
            ),
            url=reverse("plans:mine"),
        )
        count += _tell(
            "deadline.plans_to_approve",
            deciders(waiting.filter(due_on=due).values("unit_id")),
            year=year,
            due=due,
            today=today,
            title=_("Personal plans are waiting for your approval (deadline %(date)s)"),
            body=_("Personal plans of %(year)s were submitted and are not approved yet; the deadline is %(date)s."),
            url=reverse("plans:list") + f"?year={year.start_year}&status=submitted",
        )
    return count


def _unit_plan_reminders(year: SchoolYear, today: date) -> int:
    count = 0
    for kind in sorted(set(UNIT_PLAN_DEADLINE.values())):
        index = _index(kind, year)
        dates = _dates(index, today)
        if not dates:
            continue
        unit_kinds = [k for k, d in UNIT_PLAN_DEADLINE.items() if d == kind]
        units = Unit.objects.filter(kind__in=unit_kinds, dissolved_on__isnull=True).annotate(due_on=index.case("path"))
        plans = UnitPlan.objects.filter(school_year_id=year.start_year)
        not_submitted = units.exclude(Exists(plans.filter(unit_id=OuterRef("pk"), status__in=SUBMITTED)))
        children_waiting = units.filter(
            Exists(plans.filter(unit__parent_id=OuterRef("pk"), status=PlanStatus.SUBMITTED))
        )
        for due in dates:
            count += _tell(
                "deadline.unit_plan",
                deciders(not_submitted.filter(due_on=due).values("pk")),
                year=year,
                due=due,
                today=today,
                title=_("Your unit's BDTX plan for %(year)s: the deadline is %(date)s"),
                body=_("Your unit's plan is not submitted yet; the deadline is %(date)s (%(days)s day(s) left)."),
                url=reverse("plans:board") + f"?year={year.start_year}",
            )
            count += _tell(
                "deadline.unit_plan",
                deciders(children_waiting.filter(due_on=due).values("pk")),
                year=year,
                due=due,
                today=today,
                title=_("Plans of the units under you wait for your decision (deadline %(date)s)"),
                body=_(
                    "Unit plans of %(year)s were submitted to you and are not decided yet; "
                    "your own deadline is %(date)s."
                ),
                url=reverse("plans:board") + f"?year={year.start_year}",
                what="children:",
            )
    return count


def personal_plan_decided(plan: PersonalPlan) -> None:
    """Tell the plan's person that the school returned or approved it (inside the deciding transaction)."""
    if plan.status not in (PlanStatus.RETURNED, PlanStatus.APPROVED):
        return
    returned = plan.status == PlanStatus.RETURNED
    notify(
        user_ids=[plan.person.user_id],
        kind="plan.returned" if returned else "plan.approved",
        event_key=f"plan:{plan.pk}:{plan.status}:{plan.decided_at:%Y%m%d%H%M%S%f}",
        title=_("Your BDTX plan for %(year)s was returned")
        if returned
        else _("Your BDTX plan for %(year)s was approved"),
        body=_("What to change: %(comment)s") if returned else (_("Comment: %(comment)s") if plan.comment else ""),
        params={"year": str(plan.school_year), "comment": plan.comment},
        url=reverse("plans:detail", kwargs={"uuid": plan.uuid}),
    )


def unit_plan_decided(plan: UnitPlan) -> None:
    """Tell the unit's deciders (its principal, its office staff) that the unit above returned or
    approved their plan (inside the deciding transaction)."""
    if plan.status not in (PlanStatus.RETURNED, PlanStatus.APPROVED):
        return
    returned = plan.status == PlanStatus.RETURNED
    notify(
        user_ids=deciders(Unit.objects.filter(pk=plan.unit_id).values("pk")),
        kind="unit_plan.returned" if returned else "unit_plan.approved",
        event_key=f"unit_plan:{plan.pk}:{plan.status}:{plan.decided_at:%Y%m%d%H%M%S%f}",
        title=(
            _("The BDTX plan of %(unit)s for %(year)s was returned")
            if returned
            else _("The BDTX plan of %(unit)s for %(year)s was approved")
        ),
        body=_("What to change: %(comment)s") if returned else (_("Comment: %(comment)s") if plan.comment else ""),
        params={"unit": plan.unit.name, "year": str(plan.school_year), "comment": plan.comment},
        url=reverse("plans:unit_plan", kwargs={"uuid": plan.uuid}),
    )


def deadline_reminders(*, today: date) -> int:
    """Remind whoever still owes a plan whose deadline falls within the next 7 days (the 7-day
    reminder) or tomorrow or today (the 1-day one), for this school year's plans and the next's."""
    current = SchoolYear.of(SchoolYear.for_date(today))
    count = 0
    for year in (current, current.next):
        count += _personal_plan_reminders(year, today)
        count += _unit_plan_reminders(year, today)
    return count
