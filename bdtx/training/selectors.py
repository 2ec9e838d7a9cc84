"""Reads of training delivery: cohorts, their schedule, learners and groups, a learner's own cohorts,
a core teacher's groups and the periods their support counts for."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.search import search_q
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.models import Employment, EmploymentStatus, Person, person_search_rank
from bdtx.plans.models import PersonalPlan
from bdtx.plans.panels import PlanPanel
from bdtx.training.models import (
    ACTIVE_STATUSES,
    AttendanceRule,
    Cohort,
    CohortPhase,
    CohortQuerySet,
    CohortSession,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    LmsResult,
    MentorRule,
    SupportGroup,
    Trainer,
    TrainerRule,
)


def cohort_list(
    *, scope: Scope, school_year: SchoolYear, unit: Unit | None = None, programme: str = "", form: str = ""
) -> CohortQuerySet:
    """Cohorts of a school year the viewer may see (organised under `unit`, when given), with counts."""
    qs = Cohort.objects.visible_to(scope, Perm.TRAINING_VIEW).filter(school_year=school_year)
    if unit is not None:
        qs = qs.within(unit.path)
    if programme:
        qs = qs.filter(programme=programme)
    if form:
        qs = qs.filter(form=form)
    return (
        qs.select_related("organiser", "module", "institution")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED)),
            waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
        )
        .order_by("name", "id")
    )


def other_cohorts(*, scope: Scope, cohort: Cohort) -> QuerySet[Cohort]:
    """Cohorts a learner of `cohort` can be moved to: same module (or programme) and year, which the
    viewer organises."""
    qs = Cohort.objects.visible_to(scope, Perm.TRAINING_MANAGE).filter(
        school_year_id=cohort.school_year_id, programme=cohort.programme, module_id=cohort.module_id
    )
    return qs.exclude(pk=cohort.pk).order_by("name", "id")


def cohort_get(*, scope: Scope, uuid: str) -> Cohort:
    """A cohort organised in the viewer's subtrees or assessed by their institution (404 otherwise)."""
    return (
        Cohort.objects.visible_to(scope).select_related("organiser", "module", "institution", "template").get(uuid=uuid)
    )


def cohort_require_view(scope: Scope, cohort: Cohort) -> None:
    """403 unless the viewer sees training over the organiser, or over the assessing institution."""
    if not cohort.viewed_by(scope):
        raise PermissionDenied


def cohort_organiser_choices(*, scope: Scope) -> QuerySet[Unit]:
    """Units the viewer may create cohorts for: where they manage training, and the authority a
    training institution of theirs belongs to (the institution then organises for it)."""
    institutions = Unit.objects.filter(pk__in=scope.units_with(Perm.TRAINING_ASSESS), kind=UnitKind.INSTITUTION)
    return Unit.objects.filter(
        Q(pk__in=scope.units_with(Perm.TRAINING_MANAGE)) | Q(pk__in=institutions.values("parent_id"))
    ).active()


def cohort_can_manage(scope: Scope, cohort: Cohort) -> bool:
    return cohort.managed_by(scope)


@dataclass(frozen=True)
class CohortCounts:
    enrolled: int
    waiting: int
    left: int  # withdrawn or moved
    groups: int
    grouped: int


def cohort_counts(*, cohort: Cohort) -> CohortCounts:
    """How many learners are enrolled, waiting, gone, and in groups (two queries)."""
    c = Enrolment.objects.filter(cohort=cohort).aggregate(
        enrolled=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITING)),
        left=Count("pk", filter=~Q(status__in=ACTIVE_STATUSES)),
        grouped=Count("pk", filter=Q(status=EnrolmentStatus.ENROLLED, group__isnull=False)),
    )
    return CohortCounts(groups=SupportGroup.objects.filter(cohort=cohort).count(), **c)


def cohort_phases(*, cohort: Cohort) -> list[CohortPhase]:
    return list(CohortPhase.objects.filter(cohort=cohort).order_by("position"))


def cohort_sessions(*, cohort: Cohort) -> list[CohortSession]:
    return list(CohortSession.objects.filter(cohort=cohort).order_by("starts_at", "id"))


def _mentor_unit_name(school_year_id: int) -> Subquery:
    return Subquery(
        Employment.objects.filter(person=OuterRef("mentor_id"), school_year_id=school_year_id).values("unit__name")[:1]
    )


def group_list(*, cohort: Cohort) -> QuerySet[SupportGroup]:
    """The cohort's groups with their core teacher, the core teacher's school and the group's size."""
    return (
        SupportGroup.objects.filter(cohort=cohort)
        .select_related("mentor")
        .annotate(
            size=Count("members", filter=Q(members__status=EnrolmentStatus.ENROLLED)),
            mentor_unit=_mentor_unit_name(cohort.school_year_id),
        )
        .order_by("number")
    )


def enrolment_list(*, scope: Scope, cohort: Cohort, status: str = "") -> QuerySet[Enrolment]:
    """The cohort's learners the viewer may see, by school then name."""
    qs = Enrolment.objects.visible_to(scope, Perm.TRAINING_VIEW).filter(cohort=cohort)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("person", "unit", "group").order_by("unit__path", "person__sort_key", "id")


def enrolment_get(*, scope: Scope, uuid: str) -> Enrolment:
    """A learner in the viewer's subtree, or in a cohort they see (a training institution organising
    or assessing it sees its learners, who work elsewhere)."""
    return (
        (Enrolment.objects.visible_to(scope) | Enrolment.objects.filter(cohort__in=Cohort.objects.visible_to(scope)))
        .select_related("cohort", "cohort__organiser", "cohort__institution", "person", "unit", "group")
        .get(uuid=uuid)
    )


def trainer_rule_for(school_year: SchoolYear) -> TrainerRule | None:
    return TrainerRule.objects.in_force(school_year).order_by("-first_year").first()


def mentor_rule_for(school_year: SchoolYear) -> MentorRule | None:
    return MentorRule.objects.in_force(school_year).order_by("-first_year").first()


# --- the learner ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """What comes next in a cohort for a learner: a phase or an in-person session, and when."""

    label: str
    starts: date
    ends: date
    venue: str = ""


def signal_columns(*, detail: bool = False) -> dict[str, Any]:
    """Whether the LMS (its latest result), the core teacher and the institution marked it passed;
    with `detail`, each signal's source and time too, and the LMS progress. One subquery per column."""
    latest = LmsResult.objects.filter(enrolment=OuterRef("pk")).order_by("-id")
    cols: dict[str, Any] = {"lms_passed": Subquery(latest.values("passed")[:1])}
    if detail:
        cols |= {
            "lms_progress": Subquery(latest.values("progress")[:1]),
            "lms_source": Subquery(latest.values("source")[:1]),
            "lms_at": Subquery(latest.values("recorded_at")[:1]),
        }
    for party in ("mentor", "institution"):
        mark = CompletionSignal.objects.filter(enrolment=OuterRef("pk"), party=party)
        cols[f"{party}_passed"] = Subquery(mark.values("passed")[:1])
        if detail:
            cols[f"{party}_source"] = Subquery(mark.values("source")[:1])
            cols[f"{party}_at"] = Subquery(mark.values("recorded_at")[:1])
    return cols


def attendance_rule_for(school_year: SchoolYear) -> AttendanceRule | None:
    return AttendanceRule.objects.in_force(school_year).order_by("-first_year").first()


def required_sessions(rule: AttendanceRule | None, sessions: int) -> int:
    """Sessions a learner must attend out of `sessions` (rounded up); without a rule, all of them."""
    share = rule.min_share if rule is not None else 100
    return math.ceil(sessions * share / 100)


def my_enrolments(*, person: Person | None, school_year: SchoolYear) -> list[Enrolment]:
    """A learner's active enrolments of the year, with the cohort's phases and sessions (4 queries)."""
    if person is None:
        return []
    rows = list(
        Enrolment.objects.filter(person=person, school_year=school_year, status__in=ACTIVE_STATUSES)
        .select_related(
            "cohort",
            "cohort__module",
            "cohort__organiser",
            "group",
            "group__mentor",
            "completion_list",
            "completion_list__office",
        )
        .annotate(**signal_columns())
        .prefetch_related(
            Prefetch("cohort__phases", queryset=CohortPhase.objects.order_by("position")),
            Prefetch("cohort__sessions", queryset=CohortSession.objects.order_by("starts_at", "id")),
        )
        .order_by("cohort__name", "id")
    )
    today = timezone.localdate()
    for e in rows:
        e.next_step = next_step(cohort=e.cohort, today=today)  # type: ignore[attr-defined]
    return rows


def next_step(*, cohort: Cohort, today: date) -> NextStep | None:
    """The first in-person session or phase not over by `today` (from prefetched rows)."""
    for s in cohort.sessions.all():
        if timezone.localtime(s.ends_at).date() >= today:
            return NextStep(
                label=str(s.phase.get_kind_display()) if s.phase else "",
                starts=timezone.localtime(s.starts_at).date(),
                ends=timezone.localtime(s.ends_at).date(),
                venue=s.venue,
            )
    for p in cohort.phases.all():
        if p.ends_on >= today:
            return NextStep(label=str(p.get_kind_display()), starts=p.starts_on, ends=p.ends_on)
    return None


# --- the core teacher ----------------------------------------------------------------------------


def my_groups(*, person: Person | None, school_year: SchoolYear) -> QuerySet[SupportGroup]:
    """The groups a core teacher leads in a school year, with sizes."""
    if person is None:
        return SupportGroup.objects.none()
    return (
        SupportGroup.objects.filter(mentor=person, cohort__school_year=school_year)
        .select_related("cohort", "cohort__module")
        .annotate(size=Count("members", filter=Q(members__status=EnrolmentStatus.ENROLLED)))
        .order_by("cohort__name", "number")
    )


def my_group_members(*, person: Person, school_year: SchoolYear) -> QuerySet[Enrolment]:
    """The learners of a core teacher's groups: school, enrolment status."""
    return (
        Enrolment.objects.filter(group__mentor=person, school_year=school_year, status__in=ACTIVE_STATUSES)
        .select_related("person", "unit", "group", "cohort")
        .order_by("group__cohort__name", "group__number", "unit__path", "person__sort_key")
    )


@dataclass(frozen=True)
class MentorHours:
    learners: int
    hours: Decimal
    rule: MentorRule | None


def mentor_hours(*, person: Person, school_year: SchoolYear) -> MentorHours:
    """The tiết quy đổi a core teacher's support counts for: learners they support (enrolled in their
    groups of the year) × the rule's periods per block of learners, proportionally (seed 003: 50
    learners = 40 tiết), to one decimal."""
    learners = Enrolment.objects.filter(
        group__mentor=person, school_year=school_year, status=EnrolmentStatus.ENROLLED
    ).count()
    rule = mentor_rule_for(school_year)
    if rule is None:
        return MentorHours(learners=learners, hours=Decimal(0), rule=None)
    hours = (Decimal(learners) * rule.hours_per_block / rule.learners_per_block).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    return MentorHours(learners=learners, hours=hours, rule=rule)


def mentor_hours_panel(plan: PersonalPlan) -> PlanPanel | None:
    """The core teacher's tiết quy đổi on their plan's page (seed 003: supporting a group of 50
    learners counts for 40 periods of their own BDTX), when they support anyone that year."""
    hours = mentor_hours(person=plan.person, school_year=plan.school_year)
    if not hours.learners:
        return None
    return PlanPanel("training/_plan_mentor_hours.html", {"hours": hours, "plan": plan})


# --- trainers linked to a staff record -----------------------------------------------------------

TRAINER_CANDIDATES_SHOWN = 20


def trainer_staff(*, cohort: Cohort) -> QuerySet[Employment]:
    """Employments a cohort's trainer may be linked to: people working, in the cohort's school year,
    in a unit under the organiser (its subtree is what its organisers manage)."""
    return (
        Employment.objects.within(cohort.organiser.path)
        .filter(school_year_id=cohort.school_year_id, status=EmploymentStatus.WORKING)
        .select_related("person", "unit")
    )


def trainer_people(*, cohort: Cohort) -> QuerySet[Person]:
    """The people of `trainer_staff`: what the trainer form accepts and `trainer_add` checks."""
    return Person.objects.filter(Exists(trainer_staff(cohort=cohort).filter(person=OuterRef("pk"))))


def trainer_candidates(*, cohort: Cohort, q: str, limit: int = TRAINER_CANDIDATES_SHOWN) -> list[Employment]:
    """At most `limit` of `trainer_staff` matching a search by name, phone, e-mail
    or account user name (the staff code where accounts are named by it), the best matches first.
    An empty search finds nobody: the organiser types before choosing. One query."""
    if not q.strip():
        return []
    qs = trainer_staff(cohort=cohort).filter(search_q(q, "person__search_text", "person__user__username__icontains"))
    return list(qs.order_by(person_search_rank(q, "person__"), "person__sort_key", "person_id")[:limit])


def my_trainer_roles(*, person: Person | None, school_year: SchoolYear) -> list[Trainer]:
    """The cohorts of a school year a person is linked to as a trainer, with the cohort (one query)."""
    if person is None:
        return []
    return list(
        Trainer.objects.filter(person=person, cohort__school_year=school_year)
        .select_related("cohort", "cohort__module", "cohort__organiser")
        .order_by("cohort__name", "cohort_id", "id")
    )


def is_trainer_in(*, person: Person | None, school_year: SchoolYear) -> bool:
    """Whether a person is linked as a trainer in any cohort of the school year (one query)."""
    return person is not None and Trainer.objects.filter(person=person, cohort__school_year=school_year).exists()


def my_trainer_sessions(*, person: Person, school_year: SchoolYear, upcoming: bool) -> QuerySet[CohortSession]:
    """In-person sessions of the cohorts a person trains in a school year: those not yet over by start
    time, or those over, the latest first. A cohort counts once however often the person is linked."""
    cohorts = Trainer.objects.filter(person=person, cohort__school_year=school_year).values("cohort_id")
    qs = CohortSession.objects.filter(cohort_id__in=cohorts).select_related("cohort", "cohort__module")
    now = timezone.now()
    if upcoming:
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")
    return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")


def my_trainer_session_counts(*, person: Person, school_year: SchoolYear) -> dict[str, int]:
    """How many of those sessions are upcoming and past (one query)."""
    cohorts = Trainer.objects.filter(person=person, cohort__school_year=school_year).values("cohort_id")
    now = timezone.now()
    return CohortSession.objects.filter(cohort_id__in=cohorts).aggregate(
        upcoming=Count("pk", filter=Q(ends_at__gte=now)), past=Count("pk", filter=Q(ends_at__lt=now))
    )
