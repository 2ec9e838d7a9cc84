"""The three-way completion of a module (seed 003, Cao Bằng 1395/SGDĐT-ĐTBD, 3.3): a learner has
completed it only when the LMS marked it passed, their core teacher marked it passed and the training
institution marked it passed — and, for a cohort with in-person sessions, when they attended the
share of sessions the attendance rule asks. The managing office approves each cohort's list of the
schools it manages; an approved list is locked and a correction after that needs a reason.
"""

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.training.models import (
    ATTENDED_MARKS,
    Assessor,
    Attendance,
    AttendanceRule,
    CohortSession,
    CompletionListStatus,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    LmsResult,
)


def is_locked(enrolment: Enrolment) -> bool:
    """True once the completion list the learner is on has been approved by the managing office."""
    lst = enrolment.completion_list
    return lst is not None and lst.status == CompletionListStatus.APPROVED


def correction_reason(*, enrolment: Enrolment, reason: str = "") -> str:
    """The reason to write in the audit entry of a change to `enrolment`'s scores or marks. After the
    managing office approved its list, a change is a correction and needs a reason (refused without
    one); before that, no reason is asked."""
    reason = reason.strip()
    if is_locked(enrolment) and not reason:
        raise ValidationError(
            _("The completion list of %(name)s is approved and locked: give the reason for this correction.")
            % {"name": enrolment.person}
        )
    return reason


# --- recomputation (set-based) ---------------------------------------------------------------------


def _lms_passed() -> Exists:
    """The learner's latest LMS result says passed (imported or pushed: `LmsResult`)."""
    latest = LmsResult.objects.filter(enrolment=OuterRef(OuterRef("pk"))).order_by("-id").values("id")[:1]
    return Exists(LmsResult.objects.filter(id=Subquery(latest), passed=True))


def _marked(party: str) -> Exists:
    return Exists(CompletionSignal.objects.filter(enrolment=OuterRef("pk"), party=party, passed=True))


def _attended() -> Coalesce:
    n = (
        Attendance.objects.filter(enrolment=OuterRef("pk"), mark__in=ATTENDED_MARKS)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(n), Value(0))


def _required(share: int) -> ExpressionWrapper:
    """Sessions to attend: the cohort's sessions × the rule's share, rounded up (integer arithmetic)."""
    sessions = Coalesce(
        Subquery(
            CohortSession.objects.filter(cohort=OuterRef("cohort_id"))
            .order_by()
            .values("cohort")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        Value(0),
    )
    return ExpressionWrapper((sessions * Value(share) + Value(99)) / Value(100), output_field=IntegerField())


def completion_condition(share: int) -> Q:
    """All three parties marked the module passed and the attendance threshold is met."""
    return Q(_lms_passed()) & Q(_marked(Assessor.MENTOR)) & Q(_marked(Assessor.INSTITUTION)) & Q(_attendance_met(share))


def _attendance_met(share: int) -> Exists:
    # `attended >= required` as one expression the UPDATE can carry (no annotation on an UPDATE).
    return Exists(
        Enrolment.objects.filter(pk=OuterRef("pk")).annotate(a=_attended(), r=_required(share)).filter(a__gte=F("r"))
    )


def completion_recompute(*, enrolments: QuerySet[Enrolment], include_locked: bool = False) -> int:
    """Recompute `completed` of these enrolments in one UPDATE per school year (the attendance rule is
    the year's); the withdrawn and the waiting are never completed. Learners on an approved list keep
    what the office approved unless `include_locked` (a correction with its reason). Returns the rows."""
    if not include_locked:
        enrolments = enrolments.exclude(completion_list__status=CompletionListStatus.APPROVED)
    now = timezone.now()
    n = 0
    years = set(enrolments.order_by().values_list("school_year_id", flat=True).distinct())
    for year_id in years:
        rule = AttendanceRule.objects.in_force(SchoolYear.objects.get(pk=year_id)).first()
        share = rule.min_share if rule is not None else 100
        # Filtering by the ids of the given set keeps the UPDATE a plain WHERE (no joins to update).
        ids = enrolments.filter(school_year_id=year_id).values("pk")
        n += Enrolment.objects.filter(pk__in=ids).update(
            completed=Case(
                When(Q(status=EnrolmentStatus.ENROLLED) & completion_condition(share), then=Value(True)),
                default=Value(False),
            ),
            completion_checked_at=now,
        )
    return n


def signal_write(
    *, scope: Scope, enrolment: Enrolment, party: str, passed: bool, source: str, reason: str = ""
) -> CompletionSignal:
    """Record the core teacher's or the institution's mark (the caller checked the permission), audit
    it with its reason when it corrects an approved list, and recompute the learner's completion."""
    note = correction_reason(enrolment=enrolment, reason=reason)
    old = CompletionSignal.objects.filter(enrolment=enrolment, party=party).first()
    before = None if old is None else old.passed
    signal, _created = CompletionSignal.objects.update_or_create(
        enrolment=enrolment,
        party=party,
        defaults={"passed": passed, "source": source, "recorded_by_id": scope.user_id, "recorded_at": timezone.now()},
    )
    if before != passed:
        audit_record(
            actor_id=scope.user_id,
            action="completion.mark",
            obj=enrolment,
            object_repr=f"{enrolment.person} — {enrolment.cohort}",
            unit_path=enrolment.unit.path,
            changes={"party": [None, party], "passed": [before, passed], "source": [None, source]},
            note=note,
        )
    completion_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk), include_locked=bool(note))
    return signal
