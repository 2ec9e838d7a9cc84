"""Attendance at a cohort's in-person sessions: the roster the trainer or the organiser marks (present,
late, absent, excused), the learner's own check-in from a phone by a signed QR link, and the threshold
of attended sessions (an `AttendanceRule`, as data) that completion reads.

Who takes attendance: the organisers (TRAINING_MANAGE over the organiser) and the cohort's trainers who
have a staff record (`Trainer.person`), through their own sign-in. A trainer of a training institution
without a staff record has no account to sign in with: the organiser marks for them.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.training.completion import completion_recompute
from bdtx.training.models import (
    ATTENDED_MARKS,
    Attendance,
    AttendanceMark,
    AttendanceRule,
    AttendanceSource,
    Cohort,
    CohortSession,
    Enrolment,
    EnrolmentStatus,
    Trainer,
)
from bdtx.training.selectors import attendance_rule_for, required_sessions

log = logging.getLogger(__name__)

TOKEN_SALT = "bdtx.training.check-in"

# --- reads ---------------------------------------------------------------------------------------


def session_get(*, scope: Scope, uuid: str) -> CohortSession:
    """An in-person session of a cohort the viewer sees (organised in their subtrees, assessed by their
    institution) or trains (404 otherwise)."""
    visible = Cohort.objects.visible_to(scope).values("pk")
    q = Q(cohort__in=visible)
    if scope.person_id:
        q |= Q(cohort__trainers__person_id=scope.person_id)
    return (
        CohortSession.objects.filter(q)
        .select_related("cohort", "cohort__organiser", "cohort__institution", "cohort__school_year", "cohort__module")
        .distinct()
        .get(uuid=uuid)
    )


def is_trainer(scope: Scope, cohort: Cohort) -> bool:
    if scope.person_id is None:
        return False
    return Trainer.objects.filter(cohort=cohort, person_id=scope.person_id).exists()


def can_take_attendance(scope: Scope, cohort: Cohort) -> bool:
    """The organisers of the cohort and its trainers (signed in with their staff record)."""
    return cohort.managed_by(scope) or is_trainer(scope, cohort)


def can_see_attendance(scope: Scope, cohort: Cohort) -> bool:
    """Those who take it, and those who see training over the organiser or the assessing institution."""
    return cohort.viewed_by(scope) or can_take_attendance(scope, cohort)


def enrolment_attendance(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolled learners, each with `attended` (sessions present or late), `required` and
    `threshold_met` (attended ≥ the rule's share of the cohort's sessions): what completion reads.
    A cohort without in-person sessions requires none. Two queries (sessions and rule) before this one."""
    total = CohortSession.objects.filter(cohort=cohort).count()
    required = required_sessions(attendance_rule_for(cohort.school_year), total)
    attended = Subquery(
        Attendance.objects.filter(enrolment=OuterRef("pk"), mark__in=ATTENDED_MARKS)
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .annotate(attended=Coalesce(attended, Value(0)), required=Value(required))
        .annotate(threshold_met=Q(attended__gte=required))
    )


@dataclass(frozen=True)
class SessionCount:
    session: CohortSession
    present: int
    late: int
    absent: int
    excused: int


@dataclass(frozen=True)
class AttendanceSummary:
    rule: AttendanceRule | None
    sessions: list[SessionCount]
    enrolled: int
    required: int
    met: int


def cohort_attendance(*, cohort: Cohort) -> AttendanceSummary:
    """The cohort page's attendance: each session's marks and how many learners meet the threshold
    (four queries, whatever the cohort's size)."""
    rule = attendance_rule_for(cohort.school_year)
    enrolled_q = Q(attendance__enrolment__status=EnrolmentStatus.ENROLLED)
    counts = {m: Count("attendance", filter=enrolled_q & Q(attendance__mark=m)) for m in AttendanceMark.values}
    sessions = [
        SessionCount(session=s, present=s.n_present, late=s.n_late, absent=s.n_absent, excused=s.n_excused)  # type: ignore[attr-defined]
        for s in CohortSession.objects.filter(cohort=cohort)
        .annotate(**{f"n_{m}": c for m, c in counts.items()})
        .order_by("starts_at", "id")
    ]
    required = required_sessions(rule, len(sessions))
    agg = (
        enrolment_attendance(cohort=cohort)
        .order_by()
        .aggregate(enrolled=Count("pk"), met=Count("pk", filter=Q(threshold_met=True)))
    )
    return AttendanceSummary(rule=rule, sessions=sessions, enrolled=agg["enrolled"], required=required, met=agg["met"])


def roster(*, session: CohortSession) -> QuerySet[Enrolment]:
    """The cohort's enrolled learners, by name the Vietnamese way (given name first), each with their
    mark at this session (`mark`, `mark_source`) and their count of attended sessions."""
    here = Attendance.objects.filter(session=session, enrolment=OuterRef("pk"))
    return (
        enrolment_attendance(cohort=session.cohort)
        .select_related("person", "unit", "group")
        .annotate(mark=Subquery(here.values("mark")[:1]), mark_source=Subquery(here.values("source")[:1]))
        .order_by("person__sort_key", "id")
    )


# --- the check-in link ---------------------------------------------------------------------------


def check_in_token(session: CohortSession) -> str:
    """A signed token for the session's check-in link: it names the session and its start, so moving
    the session's time voids the links already shown."""
    return signing.dumps({"s": str(session.uuid), "t": int(session.starts_at.timestamp())}, salt=TOKEN_SALT)


def check_in_window(session: CohortSession, rule: AttendanceRule | None) -> tuple[datetime, datetime]:
    """From the rule's minutes before the start (30 without a rule) to the session's end."""
    before = rule.opens_minutes_before if rule is not None else 30
    return session.starts_at - timedelta(minutes=before), session.ends_at


def session_from_token(token: str) -> CohortSession:
    """The session a check-in token names; ValidationError when it is forged, damaged or out of date."""
    invalid = ValidationError(_("This check-in link is not valid. Scan the QR code shown in the room again."))
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        session = CohortSession.objects.select_related("cohort", "cohort__organiser", "cohort__school_year").get(
            uuid=data["s"]
        )
    except (signing.BadSignature, CohortSession.DoesNotExist, KeyError, TypeError, ValueError):
        raise invalid from None
    if int(session.starts_at.timestamp()) != data.get("t"):
        raise invalid
    return session


# --- writes --------------------------------------------------------------------------------------


def _repr(enrolment: Enrolment, session: CohortSession) -> str:
    when = timezone.localtime(session.starts_at)
    return f"{enrolment.person.full_name} — {session.cohort.name}, {when:%d/%m/%Y %H:%M}"


@transaction.atomic
def attendance_mark(*, scope: Scope, session: CohortSession, enrolment: Enrolment, mark: str) -> Attendance:
    """Set a learner's mark at a session from the roster. The same mark again writes nothing."""
    cohort = session.cohort
    if not can_take_attendance(scope, cohort):
        raise PermissionDenied
    if mark not in AttendanceMark.values:
        raise ValidationError(_("Unknown attendance mark."))
    if enrolment.cohort_id != cohort.pk or enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("This learner is not enrolled in the cohort."))
    row = Attendance.objects.select_for_update().filter(session=session, enrolment=enrolment).first()
    before = row.mark if row is not None else None
    if row is not None and row.mark == mark:
        return row
    if row is None:
        row = Attendance.objects.create(
            session=session, enrolment=enrolment, mark=mark, source=AttendanceSource.ROSTER, marked_by_id=scope.user_id
        )
    else:
        row.mark, row.source, row.marked_by_id = mark, AttendanceSource.ROSTER, scope.user_id
        row.save(update_fields=["mark", "source", "marked_by", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="attendance.mark",
        obj=row,
        object_repr=_repr(enrolment, session),
        unit_path=enrolment.unit.path,
        changes={"mark": [before, mark]},
    )
    completion_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    return row


@transaction.atomic
def attendance_mark_unmarked(*, scope: Scope, session: CohortSession, mark: str = AttendanceMark.ABSENT) -> int:
    """Give every enrolled learner still without a mark at the session the same mark (at the end of a
    session: the rest are absent). Two queries whatever the cohort's size, one audit entry with the count;
    marks already set (by the roster or a check-in) stay."""
    cohort = session.cohort
    if not can_take_attendance(scope, cohort):
        raise PermissionDenied
    if mark not in AttendanceMark.values:
        raise ValidationError(_("Unknown attendance mark."))
    ids = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .exclude(attendance__session=session)
        .values_list("pk", flat=True)
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session, enrolment_id=i, mark=mark, source=AttendanceSource.ROSTER, marked_by_id=scope.user_id
            )
            for i in ids
        ],
        batch_size=2000,
    )
    if ids:
        audit_record(
            actor_id=scope.user_id,
            action="attendance.mark_rest",
            obj=session,
            object_repr=f"{cohort.name}: {session}",
            unit_path=cohort.organiser.path,
            changes={"mark": [None, mark], "learners": [None, len(ids)]},
        )
        completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    return len(ids)


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    session: CohortSession
    created: bool  # False: the learner was already marked at this session (nothing written)


@transaction.atomic
def attendance_check_in(*, scope: Scope, token: str, now: datetime | None = None) -> CheckIn:
    """The signed-in learner checks themself in at the session the token names: present, or late after
    the rule's grace period. Only inside the window, only for a learner enrolled in the cohort; a second
    scan (or a mark already on the roster) changes nothing."""
    now = now or timezone.now()
    session = session_from_token(token)
    cohort = session.cohort
    enrolment = (
        Enrolment.objects.select_related("person", "unit")
        .filter(cohort=cohort, person_id=scope.person_id, status=EnrolmentStatus.ENROLLED)
        .first()
        if scope.person_id
        else None
    )
    if enrolment is None:
        log.info("check-in refused: user %s not enrolled in cohort %s", scope.user_id, cohort.pk)
        raise ValidationError(
            _("You are not enrolled in the cohort %(cohort)s: the check-in is only for its learners.")
            % {"cohort": cohort.name}
        )
    rule = attendance_rule_for(cohort.school_year)
    opens, closes = check_in_window(session, rule)
    if not opens <= now <= closes:
        log.info("check-in refused: user %s outside the window of session %s", scope.user_id, session.pk)
        raise ValidationError(
            _("The check-in for this session is open from %(opens)s to %(closes)s only.")
            % {
                "opens": f"{timezone.localtime(opens):%H:%M %d/%m/%Y}",
                "closes": f"{timezone.localtime(closes):%H:%M %d/%m/%Y}",
            }
        )
    late_after = rule.late_after_minutes if rule is not None else 15
    mark = AttendanceMark.LATE if now > session.starts_at + timedelta(minutes=late_after) else AttendanceMark.PRESENT
    # get_or_create: two taps at once find the row the first one wrote (the unique constraint decides)
    row, created = Attendance.objects.get_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"mark": mark, "source": AttendanceSource.CHECK_IN, "marked_by_id": scope.user_id},
    )
    if not created:
        return CheckIn(attendance=row, session=session, created=False)
    audit_record(
        actor_id=scope.user_id,
        action="attendance.check_in",
        obj=row,
        object_repr=_repr(enrolment, session),
        unit_path=enrolment.unit.path,
        changes={"mark": [None, mark]},
    )
    completion_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    return CheckIn(attendance=row, session=session, created=True)


__all__ = [
    "AttendanceSummary",
    "CheckIn",
    "attendance_check_in",
    "attendance_mark",
    "attendance_mark_unmarked",
    "attendance_rule_for",
    "can_see_attendance",
    "can_take_attendance",
    "check_in_token",
    "check_in_window",
    "cohort_attendance",
    "enrolment_attendance",
    "roster",
    "session_from_token",
    "session_get",
]
