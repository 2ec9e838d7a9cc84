"""The three-way completion of a module (seed 003, Cao Bằng 1395/SGDĐT-ĐTBD, 3.3): a learner has
completed it only when the LMS marked it passed, their core teacher marked it passed and the training
institution marked it passed — and, for a cohort with in-person sessions, when they attended the
share of sessions the attendance rule asks. The managing office approves each cohort's list of the
schools it manages; an approved list is locked and a correction after that needs a reason.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import (
    BooleanField,
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
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core import uploads
from bdtx.core.bulk import bulk_insert_values
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit, UnitPlacement
from bdtx.regimes.selectors import regime_for_year_or_none
from bdtx.training.hooks import learning_changed
from bdtx.training.models import (
    ATTENDED_MARKS,
    ApplicationEvidence,
    AssessmentComponent,
    Assessor,
    Attendance,
    Cohort,
    CohortSession,
    CompletionList,
    CompletionListStatus,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    EvidenceKind,
    LmsResult,
    Score,
    SignalSource,
)
from bdtx.training.notifications import completion_list_decided
from bdtx.training.selectors import attendance_rule_for, required_sessions, signal_columns


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


def _lms_passed() -> Exact:
    """The learner's latest LMS result says passed (imported or pushed: `LmsResult`): one indexed
    subquery per row (`lms_result_latest`)."""
    latest = LmsResult.objects.filter(enrolment=OuterRef("pk")).order_by("-id").values("passed")[:1]
    # never NULL (no result yet, or one without a verdict), so that NOT(...) excludes it too
    return Exact(Coalesce(Subquery(latest, output_field=BooleanField()), Value(False)), True)


def _marked(party: str) -> Exists:
    return Exists(CompletionSignal.objects.filter(enrolment=OuterRef("pk"), party=party, passed=True))


def attended_sessions() -> Coalesce:
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


def completion_condition(required: int) -> Q:
    """All three parties marked the module passed and, when the cohort asks `required` sessions, the
    learner attended that many (present or late)."""
    q = Q(_lms_passed()) & Q(_marked(Assessor.MENTOR)) & Q(_marked(Assessor.INSTITUTION))
    return q & Q(GreaterThanOrEqual(attended_sessions(), required)) if required else q


def completion_recompute(*, enrolments: QuerySet[Enrolment], include_locked: bool = False) -> int:
    """Recompute `completed` of these enrolments set-based: the sessions each cohort asks (its sessions
    × the attendance rule of its year, rounded up) are worked out first for the few cohorts concerned,
    then one UPDATE per distinct requirement carries the three signals as subqueries. The withdrawn and
    the waiting are never completed. Learners on an approved list keep what the office approved unless
    `include_locked` (a correction with its reason). Returns the rows that changed."""
    if not include_locked:
        enrolments = enrolments.exclude(completion_list__status=CompletionListStatus.APPROVED)
    targets = enrolments.order_by().values("pk")
    # the cohorts concerned with their year, and the completion lists whose counts follow: one query
    keys = set(enrolments.order_by().values_list("cohort_id", "school_year_id", "completion_list_id").distinct())
    if not keys:
        return 0
    cohorts = {cohort_id: year_id for cohort_id, year_id, _list in keys}
    sessions = dict(
        CohortSession.objects.filter(cohort_id__in=list(cohorts))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values_list("cohort", "n")
    )
    rules = {year.pk: attendance_rule_for(year) for year in SchoolYear.objects.filter(pk__in=set(cohorts.values()))}
    by_required: dict[int, list[int]] = defaultdict(list)
    for cohort_id, year_id in cohorts.items():
        by_required[required_sessions(rules[year_id], sessions.get(cohort_id, 0))].append(cohort_id)
    now = timezone.now()
    n = 0
    for required, cohort_ids in sorted(by_required.items()):
        # Filtering by the ids of the given set keeps the UPDATE a plain WHERE (no joins to update);
        # only rows whose value changes are written (a row rewritten for nothing costs PostgreSQL a
        # new tuple version and its index entries).
        rows = Enrolment.objects.filter(pk__in=targets, cohort_id__in=cohort_ids)
        done = Q(status=EnrolmentStatus.ENROLLED) & completion_condition(required)
        n += rows.filter(completed=False).filter(done).update(completed=True, completion_checked_at=now)
        n += rows.filter(completed=True).exclude(done).update(completed=False, completion_checked_at=now)
    # the lists' counts follow (a learner withdrawn changes them without changing `completed`)
    _refresh_list_counts(*(list_id for *_x, list_id in keys))
    if n:  # the year results not yet recognised follow what decides them
        learning_changed(Enrolment.objects.filter(pk__in=targets))
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


# --- who may do what -----------------------------------------------------------------------------------


def can_mark_institution(scope: Scope, cohort: Cohort) -> bool:
    """The training institution assessing the cohort marks its pass (the three parties are three: the
    organiser above it does not mark in its place); a cohort without one (a school's own) is assessed
    by its organiser."""
    if cohort.institution is not None:  # its own staff: the Sở above it does not mark for it
        return scope.holds_at(Perm.TRAINING_ASSESS, cohort.institution)
    return scope.has(Perm.TRAINING_ASSESS, cohort.organiser.path)


def can_mark_mentor(scope: Scope, enrolment: Enrolment) -> bool:
    """Only the core teacher of the learner's group marks the core teacher's pass."""
    return enrolment.group is not None and scope.is_person(enrolment.group.mentor_id)


# --- the cohort's completion page -------------------------------------------------------------------------


def with_signals(qs: QuerySet[Enrolment], *, cohort: Cohort) -> QuerySet[Enrolment]:
    """Each learner with the three signals (passed, source, time) and attendance against the threshold,
    as subquery columns: one query whatever the cohort's size."""
    rule = attendance_rule_for(cohort.school_year)
    share = rule.min_share if rule is not None else 100
    return qs.annotate(**signal_columns(detail=True), attended=attended_sessions(), required=_required(share))


MISSING = {
    "lms": Q(lms_passed__isnull=True) | Q(lms_passed=False),
    "mentor": Q(mentor_passed__isnull=True) | Q(mentor_passed=False),
    "institution": Q(institution_passed__isnull=True) | Q(institution_passed=False),
    "attendance": Q(attended__lt=F("required")),
}


def completion_rows(*, cohort: Cohort, missing: str = "", office: Unit | None = None) -> QuerySet[Enrolment]:
    """The cohort's enrolled learners by name the Vietnamese way with their signals; `missing` keeps
    those still lacking that signal; `office` keeps those on that office's list."""
    qs: QuerySet[Enrolment] = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
    if office is not None:
        qs = qs.filter(completion_list__office=office)
    qs = with_signals(qs, cohort=cohort).select_related("person", "unit", "group", "group__mentor", "completion_list")
    if missing in MISSING:
        qs = qs.filter(MISSING[missing])
    return qs.order_by("person__sort_key", "id")


@dataclass(frozen=True)
class CompletionSummary:
    enrolled: int
    completed: int
    lms: int
    mentor: int
    institution: int
    attendance: int  # learners meeting the attendance threshold


def completion_summary(*, cohort: Cohort, office: Unit | None = None) -> CompletionSummary:
    """Counts of learners with each signal and completed, in one aggregate query."""
    qs = completion_rows(cohort=cohort, office=office).order_by()
    c = qs.aggregate(
        enrolled=Count("pk"),
        completed=Count("pk", filter=Q(completed=True)),
        lms=Count("pk", filter=Q(lms_passed=True)),
        mentor=Count("pk", filter=Q(mentor_passed=True)),
        institution=Count("pk", filter=Q(institution_passed=True)),
        attendance=Count("pk", filter=Q(attended__gte=F("required"))),
    )
    return CompletionSummary(**c)


def cohort_enrolment_get(*, cohort: Cohort, uuid: Any) -> Enrolment:
    """A learner of a cohort the caller already resolved in the viewer's scope."""
    return Enrolment.objects.select_related(
        "cohort", "cohort__organiser", "cohort__institution", "person", "unit", "group", "completion_list"
    ).get(cohort=cohort, uuid=uuid)


# --- marks ------------------------------------------------------------------------------------------------


@transaction.atomic
def completion_mark(
    *, scope: Scope, enrolment: Enrolment, party: str, passed: bool, reason: str = ""
) -> CompletionSignal:
    """The institution's (or, for their group, the core teacher's) mark of one learner, by hand."""
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only an enrolled learner's module can be marked."))
    if party == Assessor.INSTITUTION:
        allowed = can_mark_institution(scope, enrolment.cohort)
    elif party == Assessor.MENTOR:
        allowed = can_mark_mentor(scope, enrolment)
    else:
        raise ValidationError(_("The LMS's mark comes from the LMS (imported or pushed)."))
    if not allowed:
        raise PermissionDenied
    return signal_write(
        scope=scope, enrolment=enrolment, party=party, passed=passed, source=SignalSource.MANUAL, reason=reason
    )


def passed_all_scores(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """Enrolled learners with a score at or above the regime's pass mark in every component the
    cohort's people grade (the LMS's own test counts through the LMS's mark)."""
    regime = regime_for_year_or_none(cohort.school_year)
    if regime is None:
        raise ValidationError(_("No regime is in force for this school year: the pass mark is unknown."))
    graded = AssessmentComponent.objects.filter(cohort=cohort).exclude(assessed_by=Assessor.LMS)
    if not graded.exists():
        return Enrolment.objects.none()
    short = graded.exclude(
        Exists(
            Score.objects.filter(
                component=OuterRef("pk"), enrolment=OuterRef(OuterRef("pk")), value__gte=regime.pass_mark
            )
        )
    )
    return Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).exclude(Exists(short))


@transaction.atomic
def completion_mark_from_scores(*, scope: Scope, cohort: Cohort) -> int:
    """The institution marks passed, in one go, every learner whose scores all reach the pass mark and
    who is not on an approved list (set-based: one UPDATE, one INSERT, one recomputation)."""
    if not can_mark_institution(scope, cohort):
        raise PermissionDenied
    ids = list(
        passed_all_scores(cohort=cohort)
        .exclude(completion_list__status=CompletionListStatus.APPROVED)
        .exclude(signals__party=Assessor.INSTITUTION, signals__passed=True)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    now = timezone.now()
    marked = {"passed": True, "source": SignalSource.SCORES, "recorded_by_id": scope.user_id, "recorded_at": now}
    existing = CompletionSignal.objects.filter(enrolment_id__in=ids, party=Assessor.INSTITUTION)
    have = set(existing.values_list("enrolment_id", flat=True))
    existing.update(**marked)
    bulk_insert_values(
        CompletionSignal,
        [{"enrolment_id": pk, "party": Assessor.INSTITUTION, **marked} for pk in ids if pk not in have],
    )
    completion_recompute(enrolments=Enrolment.objects.filter(pk__in=ids))
    audit_record(
        actor_id=scope.user_id,
        action="completion.mark_scores",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes={"learners": [None, len(ids)]},
    )
    return len(ids)


@transaction.atomic
def completion_recompute_cohort(*, scope: Scope, cohort: Cohort) -> int:
    """Recompute the cohort's completion from its signals (the organiser's button; imports and marks
    recompute what they touch by themselves)."""
    if not cohort.managed_by(scope):
        raise PermissionDenied
    return completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))


# --- the lists sent to the managing offices -----------------------------------------------------------------


def _managing_offices(unit_ids: set[int], school_year: SchoolYear) -> dict[int, int]:
    """{school id: the unit that manages it} in force today (or on the year's last day if earlier),
    one query: a commune or district office for its schools, the Sở for those it manages directly."""
    day = min(timezone.localdate(), school_year.ends_on)
    rows = UnitPlacement.objects.on(day).filter(unit_id__in=unit_ids, parent__isnull=False)
    return dict(rows.values_list("unit_id", "parent_id"))


def _refresh_list_counts(*list_ids: int | None) -> None:
    """Each list's learners and completed, from its enrolled learners: one grouped query, then one
    UPDATE per list (a cohort has a list per managing office: a handful)."""
    ids = {i for i in list_ids if i is not None}
    if not ids:
        return
    counts = {
        list_id: (learners, completed)
        for list_id, learners, completed in Enrolment.objects.filter(
            completion_list_id__in=ids, status=EnrolmentStatus.ENROLLED
        )
        .order_by()
        .values("completion_list_id")
        .annotate(learners=Count("pk"), completed=Count("pk", filter=Q(completed=True)))
        .values_list("completion_list_id", "learners", "completed")
    }
    for list_id in ids:
        learners, completed = counts.get(list_id, (0, 0))
        CompletionList.objects.filter(pk=list_id).update(learners=learners, completed=completed)


@transaction.atomic
def completion_lists_send(*, scope: Scope, cohort: Cohort) -> list[CompletionList]:
    """The organiser sends the cohort's completion list to each managing office: one list per office
    with the learners of the schools it manages. A list already approved is left as approved; a
    returned one is sent again. Completion is recomputed first."""
    if not cohort.managed_by(scope):
        raise PermissionDenied
    completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    active = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).exclude(
        completion_list__status=CompletionListStatus.APPROVED
    )
    units = set(active.values_list("unit_id", flat=True))
    if not units:
        raise ValidationError(_("Nobody in this cohort is waiting for a completion list."))
    offices = _managing_offices(units, cohort.school_year)
    lost = units - set(offices)
    if lost:
        names = ", ".join(sorted(Unit.objects.filter(pk__in=lost).values_list("name", flat=True)))
        raise ValidationError(_("No managing unit is known for: %(names)s.") % {"names": names})
    now = timezone.now()
    lists = []
    by_office: dict[int, list[int]] = defaultdict(list)
    for unit_id, office_id in offices.items():
        by_office[office_id].append(unit_id)
    for office_id, unit_ids in sorted(by_office.items()):
        lst, _created = CompletionList.objects.get_or_create(cohort=cohort, office_id=office_id)
        if lst.status == CompletionListStatus.APPROVED:
            continue
        lst.status = CompletionListStatus.SUBMITTED
        lst.submitted_by_id = scope.user_id
        lst.submitted_at = now
        lst.decided_by_id = None
        lst.decided_at = None
        lst.save()
        active.filter(unit_id__in=unit_ids).update(completion_list=lst)
        lists.append(lst)
    _refresh_list_counts(*(lst.pk for lst in lists))
    for lst in lists:
        lst.refresh_from_db()
        audit_record(
            actor_id=scope.user_id,
            action="completion.send",
            obj=lst,
            object_repr=f"{cohort} → {lst.office}",
            unit_path=lst.office.path,
            changes={"learners": [None, lst.learners], "completed": [None, lst.completed]},
        )
    return lists


def _require_approver(scope: Scope, lst: CompletionList) -> None:
    if not scope.has(Perm.TRAINING_APPROVE, lst.office.path):
        raise PermissionDenied


@transaction.atomic
def completion_list_approve(*, scope: Scope, completion_list: CompletionList) -> CompletionList:
    """The managing office approves the list: who completed the module is settled and locked."""
    lst = CompletionList.objects.select_for_update().select_related("office", "cohort").get(pk=completion_list.pk)
    _require_approver(scope, lst)
    if lst.status != CompletionListStatus.SUBMITTED:
        raise ValidationError(_("Only a list waiting for approval can be approved."))
    completion_recompute(enrolments=Enrolment.objects.filter(completion_list=lst))
    _refresh_list_counts(lst.pk)
    lst.refresh_from_db()
    lst.status = CompletionListStatus.APPROVED
    lst.decided_by_id = scope.user_id
    lst.decided_at = timezone.now()
    lst.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="completion.approve",
        obj=lst,
        object_repr=f"{lst.cohort} → {lst.office}",
        unit_path=lst.office.path,
        changes={"learners": [None, lst.learners], "completed": [None, lst.completed]},
    )
    completion_list_decided(lst)
    return lst


@transaction.atomic
def completion_list_return(*, scope: Scope, completion_list: CompletionList, reason: str) -> CompletionList:
    """The office returns the list to the organiser with a reason (before approving it)."""
    lst = CompletionList.objects.select_for_update().select_related("office", "cohort").get(pk=completion_list.pk)
    _require_approver(scope, lst)
    if lst.status != CompletionListStatus.SUBMITTED:
        raise ValidationError(_("Only a list waiting for approval can be returned."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for returning the list."))
    lst.status = CompletionListStatus.RETURNED
    lst.decided_by_id = scope.user_id
    lst.decided_at = timezone.now()
    lst.note = reason.strip()[:500]
    lst.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="completion.return",
        obj=lst,
        object_repr=f"{lst.cohort} → {lst.office}",
        unit_path=lst.office.path,
        note=lst.note,
    )
    completion_list_decided(lst)
    return lst


def completion_list_get(*, scope: Scope, uuid: str) -> CompletionList:
    """A list of the viewer's office, or of a cohort they organise (404 otherwise)."""
    return (
        CompletionList.objects.visible_to(scope)
        .select_related("cohort", "cohort__organiser", "cohort__module", "cohort__school_year", "office")
        .get(uuid=uuid)
    )


def completion_lists_for_office(*, scope: Scope, school_year: SchoolYear) -> QuerySet[CompletionList]:
    """Lists sent to offices where the viewer approves, waiting ones first."""
    waiting_first = Case(When(status=CompletionListStatus.SUBMITTED, then=Value(0)), default=Value(1))
    return (
        CompletionList.objects.visible_to(scope, Perm.TRAINING_APPROVE)
        .filter(cohort__school_year=school_year)
        .select_related("cohort", "cohort__organiser", "cohort__module", "office")
        .order_by(waiting_first, "-submitted_at", "id")
    )


# --- evidence that a completed module is applied (TT 17/2022) -------------------------------------------------


def can_record_evidence(scope: Scope, enrolment: Enrolment) -> bool:
    """The learner's school (its managers) records it, or an office above it."""
    return scope.has(Perm.TRAINING_MANAGE, enrolment.unit.path)


@transaction.atomic
def evidence_add(
    *,
    scope: Scope,
    enrolment: Enrolment,
    kind: str,
    observed_on: date,
    description: str,
    upload: UploadedFile | None = None,
) -> ApplicationEvidence:
    """Record a lesson observation or a product showing the completed module applied in teaching."""
    if not can_record_evidence(scope, enrolment):
        raise PermissionDenied
    if not enrolment.completed:
        raise ValidationError(_("Evidence of application is recorded for a completed module."))
    if kind not in EvidenceKind.values:
        raise ValidationError(_("Choose a lesson observation or a product."))
    if observed_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    text = description.strip()
    if not text:
        raise ValidationError(_("Describe the lesson or the product."))
    evidence = ApplicationEvidence(
        enrolment=enrolment, kind=kind, observed_on=observed_on, description=text, recorded_by_id=scope.user_id
    )
    if upload is not None:  # by its content, whatever its name says
        uploads.upload_accept(upload, allowed=uploads.EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
        name = PurePath(upload.name or "tep").name[:255]
        evidence.filename = name
        evidence.file.save(name, upload, save=False)
    evidence.save()
    audit_record(
        actor_id=scope.user_id,
        action="evidence.add",
        obj=evidence,
        object_repr=f"{enrolment.person} — {enrolment.cohort}",
        unit_path=enrolment.unit.path,
        changes={"kind": [None, kind]},
    )
    return evidence


def evidence_enrolments(*, scope: Scope, school_year: SchoolYear) -> QuerySet[Enrolment]:
    """Completed modules of the year of the learners in the units where the viewer records evidence,
    each with its count of evidence, by name the Vietnamese way."""
    return (
        Enrolment.objects.visible_to(scope, Perm.TRAINING_MANAGE)
        .filter(school_year=school_year, status=EnrolmentStatus.ENROLLED, completed=True)
        .select_related("person", "unit", "cohort", "cohort__module")
        .annotate(evidence_count=Count("evidence"))
        .order_by("person__sort_key", "id")
    )


def evidence_enrolment_get(*, scope: Scope, uuid: str) -> Enrolment:
    return (
        Enrolment.objects.visible_to(scope)
        .select_related("person", "unit", "cohort", "cohort__module", "completion_list")
        .get(uuid=uuid)
    )


def evidence_get(*, scope: Scope, uuid: str) -> ApplicationEvidence:
    return ApplicationEvidence.objects.visible_to(scope).select_related("enrolment__unit").get(uuid=uuid)
