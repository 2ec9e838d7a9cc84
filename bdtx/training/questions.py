"""Questions and interactions of a cohort (issue 9; seed 003, Cao Bằng 1395/SGDĐT-ĐTBD, 3.2).

A learner enrolled in a cohort asks a question; their group's core teacher, a trainer of the cohort,
or the organiser's or the assessing institution's staff answer, and fellow learners of the cohort may
reply too. Every message is classified when written into one of the six interactions seed 003 asks
offices to monitor, by who writes to whom and on which side (teachers or managers, from the asker's
staff type), so that counting them per group, school or cohort is one grouped query.

Who sees what: the organiser's and the institution's staff with TRAINING_VIEW and the cohort's trainers
see every question of the cohort; a core teacher sees the questions of the groups they lead; a
learner sees every question of their own cohort (a class forum: teacher ↔ teacher help is one of the
monitored interactions and needs learners to read one another's questions; one answer serves many).
Anyone else gets a 404, as for a missing question.

A question waits until the core teacher or a trainer replies; past the days of the `QuestionRule` in
force it is overdue, flagged on the core teacher's page, the cohort's page and the landing page.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core import uploads
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment, StaffType
from bdtx.training.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
    InteractionKind,
    Question,
    QuestionMessage,
    QuestionRule,
    SupportGroup,
    Trainer,
    WriterRole,
)
from bdtx.training.notifications import question_answered

QUESTION_FILE_TYPES = uploads.EVIDENCE_TYPES  # documents, pictures, a short video: what a learner may attach


# --- who the viewer is to a cohort ---------------------------------------------------------------


def _related_to_person_q(person_id: int | None, prefix: str = "") -> Q:
    """Cohorts the person is or was enrolled in (enrolled, waiting, withdrawn: inside, though only the
    enrolled read the questions), supports a group of, or trains."""
    if person_id is None:
        return Q(pk__in=[])
    ref = OuterRef(f"{prefix}pk")
    return (
        Q(Exists(Enrolment.objects.filter(cohort=ref, person_id=person_id)))
        | Q(Exists(SupportGroup.objects.filter(cohort=ref, mentor_id=person_id)))
        | Q(Exists(Trainer.objects.filter(cohort=ref, person_id=person_id)))
    )


def _visible_cohorts(scope: Scope) -> QuerySet[Cohort]:
    """Cohorts whose questions the viewer may reach: in their subtrees (organiser or institution), or
    which they learn in, support a group of, or train."""
    in_tree = Cohort.objects.visible_to(scope).values("pk")
    return Cohort.objects.filter(Q(pk__in=in_tree) | _related_to_person_q(scope.person_id))


def cohort_for_questions(*, scope: Scope, uuid: str) -> Cohort:
    """A cohort the viewer can reach (DoesNotExist otherwise: a 404)."""
    return _visible_cohorts(scope).select_related("organiser", "institution", "module", "school_year").get(uuid=uuid)


@dataclass(frozen=True)
class Access:
    """What the viewer is to one cohort's questions (three queries, whatever the cohort's size)."""

    cohort: Cohort
    enrolment: Enrolment | None  # the viewer's own, when they learn in the cohort
    mentor_group_ids: frozenset[int]  # groups of the cohort they lead as core teacher
    trainer: bool  # a trainer of the cohort, or staff of the organiser or institution who sees training
    manage: bool  # organises the cohort

    @property
    def any(self) -> bool:
        return self.enrolment is not None or bool(self.mentor_group_ids) or self.trainer

    @property
    def can_ask(self) -> bool:
        return self.enrolment is not None

    def can_read(self, question: Question) -> bool:
        return self.trainer or self.enrolment is not None or question.group_id in self.mentor_group_ids

    def role_in(self, question: Question) -> str:
        """The role the viewer writes in, in this thread: the group's core teacher, a trainer, a learner."""
        if question.group_id in self.mentor_group_ids:
            return WriterRole.MENTOR
        if self.trainer:
            return WriterRole.TRAINER
        return WriterRole.LEARNER


def _sees_training(scope: Scope, cohort: Cohort) -> bool:
    return cohort.viewed_by(scope)


def access_for(*, scope: Scope, cohort: Cohort) -> Access:
    person_id = scope.person_id
    enrolment = None
    groups: frozenset[int] = frozenset()
    is_trainer = False
    if person_id is not None:
        enrolment = (
            Enrolment.objects.filter(cohort=cohort, person_id=person_id, status=EnrolmentStatus.ENROLLED)
            .select_related("person", "unit", "group__mentor")
            .first()
        )
        groups = frozenset(SupportGroup.objects.filter(cohort=cohort, mentor_id=person_id).values_list("pk", flat=True))
        is_trainer = Trainer.objects.filter(cohort=cohort, person_id=person_id).exists()
    return Access(
        cohort=cohort,
        enrolment=enrolment,
        mentor_group_ids=groups,
        trainer=is_trainer or _sees_training(scope, cohort) or scope.is_system,
        manage=cohort.managed_by(scope),
    )


def access_require(*, scope: Scope, cohort: Cohort) -> Access:
    """The viewer's access, 403 when they reach the cohort but have no part in its questions."""
    access = access_for(scope=scope, cohort=cohort)
    if not access.any:
        raise PermissionDenied
    return access


# --- reads ---------------------------------------------------------------------------------------


def question_rule_for(school_year: SchoolYear) -> QuestionRule | None:
    return QuestionRule.objects.in_force(school_year).order_by("-first_year").first()


def overdue_before(school_year: SchoolYear, *, rule: QuestionRule | None = None) -> datetime | None:
    """Questions asked before this moment and still unanswered are overdue (None: no rule in force)."""
    rule = rule or question_rule_for(school_year)
    return timezone.now() - timedelta(days=rule.answer_within_days) if rule else None


class Show:
    ALL = ""
    WAITING = "waiting"
    OVERDUE = "overdue"
    MINE = "mine"


def question_list(
    *, access: Access, show: str = Show.ALL, group: SupportGroup | None = None, overdue: datetime | None = None
) -> QuerySet[Question]:
    """The cohort's questions the viewer may read, newest first, with their asker, group, number of
    messages and last activity (one query a page, whatever the cohort's size)."""
    qs = Question.objects.filter(cohort=access.cohort)
    if not access.trainer and access.enrolment is None:
        qs = qs.filter(group_id__in=access.mentor_group_ids)
    if group is not None:
        qs = qs.filter(group=group)
    if show == Show.WAITING:
        qs = qs.filter(answered_at__isnull=True)
    elif show == Show.OVERDUE:
        qs = qs.filter(answered_at__isnull=True, created_at__lt=overdue) if overdue else qs.none()
    elif show == Show.MINE:
        qs = qs.filter(enrolment=access.enrolment) if access.enrolment else qs.none()
    return (
        qs.select_related("enrolment__person", "group", "unit")
        .annotate(n_messages=Count("messages"), last_at=Max("messages__created_at"))
        .order_by("-created_at", "-id")
    )


def question_get(*, scope: Scope, uuid: str) -> Question:
    """A question of a cohort the viewer can reach (DoesNotExist otherwise)."""
    return (
        Question.objects.filter(cohort__in=_visible_cohorts(scope).values("pk"))
        .select_related(
            "cohort", "cohort__organiser", "cohort__institution", "cohort__school_year", "enrolment__person", "group"
        )
        .select_related("unit", "group__mentor")
        .get(uuid=uuid)
    )


def group_of(*, cohort: Cohort, uuid: str) -> SupportGroup:
    """A support group of the cohort (DoesNotExist otherwise), to filter its questions."""
    return SupportGroup.objects.get(cohort=cohort, uuid=uuid)


def question_messages(*, question: Question) -> list[QuestionMessage]:
    return list(QuestionMessage.objects.filter(question=question).order_by("created_at", "id"))


def message_get(*, scope: Scope, uuid: str) -> QuestionMessage:
    """A message with a file, of a question of a cohort the viewer can reach (DoesNotExist otherwise)."""
    return (
        QuestionMessage.objects.filter(question__cohort__in=_visible_cohorts(scope).values("pk"))
        .exclude(file="")
        .select_related("question", "question__cohort", "question__cohort__organiser", "question__cohort__institution")
        .get(uuid=uuid)
    )


@dataclass(frozen=True)
class Waiting:
    waiting: int  # not answered yet
    overdue: int  # of them, past the rule's days
    days: int | None  # the rule's days (None: no rule in force)


def cohort_waiting(*, cohort: Cohort) -> Waiting:
    """Unanswered and overdue questions of a cohort (two queries)."""
    rule = question_rule_for(cohort.school_year)
    before = overdue_before(cohort.school_year, rule=rule)
    c = Question.objects.filter(cohort=cohort, answered_at__isnull=True).aggregate(
        waiting=Count("pk"),
        overdue=Count("pk", filter=Q(created_at__lt=before)) if before else Count("pk", filter=Q(pk__in=[])),
    )
    return Waiting(waiting=c["waiting"], overdue=c["overdue"], days=rule.answer_within_days if rule else None)


def waiting_by_group(*, person_id: int | None, school_year: SchoolYear) -> dict[int, Waiting]:
    """For a core teacher: unanswered and overdue questions of each group they lead in the year (two queries)."""
    if person_id is None:
        return {}
    rule = question_rule_for(school_year)
    before = overdue_before(school_year, rule=rule)
    rows = (
        Question.objects.filter(group__mentor_id=person_id, cohort__school_year=school_year, answered_at__isnull=True)
        .values("group_id")
        .annotate(
            waiting=Count("pk"),
            overdue=Count("pk", filter=Q(created_at__lt=before)) if before else Count("pk", filter=Q(pk__in=[])),
        )
        .order_by()
    )
    days = rule.answer_within_days if rule else None
    return {r["group_id"]: Waiting(waiting=r["waiting"], overdue=r["overdue"], days=days) for r in rows}


def mentor_waiting(*, person_id: int | None, school_year: SchoolYear) -> Waiting:
    """For a core teacher: every unanswered question of their groups of the year, and the overdue ones."""
    by_group = waiting_by_group(person_id=person_id, school_year=school_year)
    days = next(iter(by_group.values())).days if by_group else None
    return Waiting(
        waiting=sum(w.waiting for w in by_group.values()),
        overdue=sum(w.overdue for w in by_group.values()),
        days=days,
    )


class By:
    COHORT = "cohort"
    SCHOOL = "school"
    GROUP = "group"


KINDS = list(InteractionKind)


def interaction_counts(
    *,
    scope: Scope,
    school_year: SchoolYear,
    by: str = By.COHORT,
    cohort: Cohort | None = None,
    unit: Unit | None = None,
) -> QuerySet[QuestionMessage, dict[str, Any]]:
    """Messages of the year's cohorts the viewer sees training of, counted by the database for each of
    the six interactions, per cohort, per school (of the asker) or per support group: one grouped query
    (and its count for the pages)."""
    cohorts = Cohort.objects.visible_to(scope, Perm.TRAINING_VIEW).filter(school_year=school_year)
    if unit is not None:
        cohorts = cohorts.within(unit.path)
    qs = QuestionMessage.objects.filter(question__cohort__in=cohorts.values("pk"))
    if cohort is not None:
        qs = qs.filter(question__cohort=cohort)
    keys = {
        By.COHORT: ["question__cohort__name", "question__cohort__uuid"],
        By.SCHOOL: ["question__unit__name", "question__unit_id"],
        By.GROUP: ["question__cohort__name", "question__group__number", "question__group__name", "question__group_id"],
    }[by if by in (By.COHORT, By.SCHOOL, By.GROUP) else By.COHORT]
    counts = {k.value: Count("pk", filter=Q(kind=k.value)) for k in KINDS}
    return qs.values(*keys).annotate(total=Count("pk"), **counts).order_by(*keys)


# --- writes --------------------------------------------------------------------------------------


def _side(audience: str) -> str:
    return "ql" if audience == StaffType.MANAGER else "gv"


def classify(*, audience: str, writer: str, counterpart: str) -> str:
    """The interaction a message is, from the writer's role and the role of whom they write to:
    learner ↔ learner, learner ↔ core teacher, or anyone ↔ trainer, on the asker's side."""
    side = _side(audience)
    if WriterRole.TRAINER in (writer, counterpart):
        return f"{side}_bcv"
    if WriterRole.MENTOR in (writer, counterpart):
        return f"{side}_cc"
    return f"{side}_{side}"


def _store_file(message: QuestionMessage, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    name = PurePath(upload.name or "tep").name
    message.filename = name[:255]
    message.file.save(name, upload, save=False)


def _check(body: str, upload: UploadedFile | None) -> str:
    text = body.strip()
    if not text:
        raise ValidationError(_("Write your message."))
    if upload is not None:  # by its content, whatever its name says
        uploads.upload_accept(upload, allowed=QUESTION_FILE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
    return text


def _author_name(scope: Scope, fallback: str) -> str:
    user = User.objects.filter(pk=scope.user_id).select_related("person").first() if scope.user_id else None
    person = getattr(user, "person", None) if user else None
    if person is not None:
        return str(person.full_name)
    if user is not None:
        return user.get_full_name() or user.get_username()
    return fallback


@transaction.atomic
def question_ask(
    *, scope: Scope, cohort: Cohort, title: str, body: str, upload: UploadedFile | None = None
) -> Question:
    """A learner enrolled in the cohort asks a question. It is addressed to their group's core teacher,
    or to the trainers when their group has none."""
    access = access_for(scope=scope, cohort=cohort)
    if access.enrolment is None:
        raise PermissionDenied
    enrolment = access.enrolment
    if not title.strip():
        raise ValidationError(_("Write your question."))
    text = _check(body, upload)
    jobs = Employment.objects.filter(person_id=enrolment.person_id, school_year_id=cohort.school_year_id)
    audience = (
        jobs.filter(unit_id=enrolment.unit_id).values_list("staff_type", flat=True).first()
        or jobs.order_by("pk").values_list("staff_type", flat=True).first()
        or StaffType.TEACHER
    )
    group = enrolment.group
    question = Question.objects.create(
        cohort=cohort, enrolment=enrolment, group=group, unit=enrolment.unit, audience=audience, title=title.strip()
    )
    to = WriterRole.MENTOR if group is not None and group.mentor_id else WriterRole.TRAINER
    message = QuestionMessage(
        question=question,
        author_id=scope.user_id,
        author_name=str(enrolment.person.full_name),
        role=WriterRole.LEARNER,
        kind=classify(audience=audience, writer=WriterRole.LEARNER, counterpart=to),
        body=text,
    )
    _store_file(message, upload)
    message.save()
    audit_record(
        actor_id=scope.user_id,
        action="question.ask",
        obj=question,
        object_repr=f"{cohort.name}: {question.title}",
        unit_path=enrolment.unit.path,
        changes={"kind": [None, message.kind], **({"file": [None, message.filename]} if message.filename else {})},
    )
    return question


@transaction.atomic
def question_reply(
    *, scope: Scope, question: Question, body: str, upload: UploadedFile | None = None
) -> QuestionMessage:
    """A reply in a thread, by the group's core teacher, a trainer or organiser, the asker or a fellow
    learner. The first reply of the core teacher or a trainer answers the question."""
    access = access_for(scope=scope, cohort=question.cohort)
    if not access.can_read(question):
        raise PermissionDenied
    text = _check(body, upload)
    Question.objects.select_for_update().filter(pk=question.pk).first()
    role = access.role_in(question)
    is_asker = access.enrolment is not None and access.enrolment.pk == question.enrolment_id
    if role == WriterRole.LEARNER and is_asker:
        # back to whoever answered last; before any answer, to whom the question went
        last = (
            QuestionMessage.objects.filter(question=question, role__in=[WriterRole.MENTOR, WriterRole.TRAINER])
            .order_by("-created_at", "-id")
            .values_list("role", flat=True)
            .first()
        )
        counterpart = last or (
            WriterRole.MENTOR if question.group is not None and question.group.mentor_id else WriterRole.TRAINER
        )
    elif role == WriterRole.MENTOR:
        last_other = (
            QuestionMessage.objects.filter(question=question)
            .exclude(author_id=scope.user_id)
            .order_by("-created_at", "-id")
            .values_list("role", flat=True)
            .first()
        )
        counterpart = WriterRole.TRAINER if last_other == WriterRole.TRAINER else WriterRole.LEARNER
    else:
        counterpart = WriterRole.LEARNER
    message = QuestionMessage(
        question=question,
        author_id=scope.user_id,
        author_name=_author_name(scope, fallback=str(role)),
        role=role,
        kind=classify(audience=question.audience, writer=role, counterpart=counterpart),
        body=text,
    )
    _store_file(message, upload)
    message.save()
    answered = role in (WriterRole.MENTOR, WriterRole.TRAINER) and question.answered_at is None
    if answered:
        question.answered_at = message.created_at
        question.save(update_fields=["answered_at", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="question.reply",
        obj=question,
        object_repr=f"{question.cohort.name}: {question.title}",
        unit_path=question.unit.path,
        changes={
            "kind": [None, message.kind],
            "role": [None, role],
            **({"file": [None, message.filename]} if message.filename else {}),
            **({"answered": [None, True]} if answered else {}),
        },
    )
    if answered:
        question_answered(question)
    return message
