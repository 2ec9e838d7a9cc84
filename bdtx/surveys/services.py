"""Writes of learner surveys: questionnaires, surveys of cohorts, anonymous answers, reminders.

Every service is keyword-only, runs in one transaction, checks its own permission and writes one
audit entry. `survey_answer` writes who took part (`Participation`) and what they answered
(`Submission`, `Answer`) in the same transaction, with nothing that joins the two (models.py)."""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.notifications.services import notification_settle
from bdtx.organisations.models import Unit
from bdtx.surveys.models import (
    Answer,
    Participation,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Submission,
    Survey,
)
from bdtx.surveys.notifications import WAITING, event_key, surveys_waiting_notify
from bdtx.surveys.selectors import nonrespondents
from bdtx.training.models import Cohort, CohortPhase, Enrolment, EnrolmentStatus

OPEN_DAYS = 14  # a survey attached without a closing day stays open this long
MAX_TEXT = 2000  # characters of an open answer


@dataclass(frozen=True)
class QuestionSpec:
    """One question to write: its kind and text; the options of a single choice."""

    kind: str
    text: str
    choices: Sequence[str] = field(default_factory=tuple)
    required: bool = True
    counts_for_satisfaction: bool = False


def may_keep(scope: Scope, owner: Unit | None) -> bool:
    """Who writes a questionnaire: training managers of its unit; the shared ones, the system only."""
    return scope.is_system if owner is None else scope.has(Perm.TRAINING_MANAGE, owner.path)


def _write_questions(questionnaire: Questionnaire, questions: Sequence[QuestionSpec]) -> None:
    if not questions:
        raise ValidationError(_("A questionnaire needs at least one question."))
    rows = []
    for i, q in enumerate(questions, start=1):
        if q.kind not in QuestionKind.values or not q.text.strip():
            raise ValidationError(_("Question %(n)s is incomplete.") % {"n": i})
        if q.kind == QuestionKind.SINGLE and len([c for c in q.choices if c.strip()]) < 2:
            raise ValidationError(_("Question %(n)s needs at least two choices.") % {"n": i})
        rows.append(
            Question(
                questionnaire=questionnaire,
                position=i,
                kind=q.kind,
                text=q.text.strip(),
                choices=[c.strip() for c in q.choices if c.strip()] if q.kind == QuestionKind.SINGLE else [],
                required=q.required,
                counts_for_satisfaction=q.counts_for_satisfaction and q.kind == QuestionKind.LIKERT5,
            )
        )
    Question.objects.bulk_create(rows)


@transaction.atomic
def questionnaire_create(
    *,
    scope: Scope,
    owner: Unit | None,
    title: str,
    questions: Sequence[QuestionSpec],
    intro: str = "",
    satisfied_from: int = 4,
    status: str = QuestionnaireStatus.DRAFT,
) -> Questionnaire:
    """A questionnaire kept by `owner` (a training manager there), or shared when `owner` is None (system)."""
    if not may_keep(scope, owner):
        raise PermissionDenied
    if not 1 <= satisfied_from <= 5:
        raise ValidationError(_("Satisfaction starts at a point from 1 to 5."))
    qn = Questionnaire.objects.create(
        owner=owner, title=title.strip(), intro=intro.strip(), satisfied_from=satisfied_from, status=status
    )
    _write_questions(qn, questions)
    audit_record(
        actor_id=scope.user_id,
        action="questionnaire.create",
        obj=qn,
        unit_path=owner.path if owner else "",
        changes={"questions": [None, len(questions)], "satisfied_from": [None, satisfied_from]},
    )
    return qn


@transaction.atomic
def questionnaire_update(
    *,
    scope: Scope,
    questionnaire: Questionnaire,
    title: str | None = None,
    intro: str | None = None,
    questions: Sequence[QuestionSpec] | None = None,
    satisfied_from: int | None = None,
    status: str | None = None,
) -> Questionnaire:
    """Change a questionnaire. Its questions and rule change only while no one has answered it (the
    answers would no longer mean what they were given for); a change of questions is a new version."""
    qn = Questionnaire.objects.select_for_update(of=("self",)).select_related("owner").get(pk=questionnaire.pk)
    if not may_keep(scope, qn.owner):
        raise PermissionDenied
    answered = Submission.objects.filter(survey__questionnaire=qn).exists()
    changes: dict[str, list[object]] = {}
    if (questions is not None or satisfied_from not in (None, qn.satisfied_from)) and answered:
        raise ValidationError(_("Learners have answered this questionnaire: its questions can no longer change."))
    if title is not None:
        qn.title = title.strip()
    if intro is not None:
        qn.intro = intro.strip()
    if satisfied_from is not None and satisfied_from != qn.satisfied_from:
        if not 1 <= satisfied_from <= 5:
            raise ValidationError(_("Satisfaction starts at a point from 1 to 5."))
        changes["satisfied_from"] = [qn.satisfied_from, satisfied_from]
        qn.satisfied_from = satisfied_from
    if status is not None and status != qn.status:
        changes["status"] = [qn.status, status]
        qn.status = status
    if questions is not None:
        before = qn.questions.count()
        qn.questions.all().delete()
        _write_questions(qn, questions)
        qn.version += 1
        changes["questions"] = [before, len(questions)]
    qn.save()
    audit_record(
        actor_id=scope.user_id,
        action="questionnaire.update",
        obj=qn,
        unit_path=qn.owner.path if qn.owner else "",
        changes=changes,
    )
    return qn


def default_opens_on(cohort: Cohort) -> date:
    """The day after the cohort's last phase, or today when it has no schedule."""
    last = CohortPhase.objects.filter(cohort=cohort).aggregate(last=Max("ends_on"))["last"]
    return last + timedelta(days=1) if last else timezone.localdate()


@transaction.atomic
def survey_attach(
    *,
    scope: Scope,
    cohort: Cohort,
    questionnaire: Questionnaire,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> Survey:
    """Put a published questionnaire the scope may use to a cohort it organises."""
    if not cohort.managed_by(scope):
        raise PermissionDenied
    if not Questionnaire.objects.visible_to(scope).filter(pk=questionnaire.pk).exists():
        raise PermissionDenied
    if questionnaire.status != QuestionnaireStatus.PUBLISHED:
        raise ValidationError(_("Only a published questionnaire can be put to learners."))
    opens_on = opens_on or default_opens_on(cohort)
    closes_on = closes_on or opens_on + timedelta(days=OPEN_DAYS)
    if closes_on < opens_on:
        raise ValidationError(_("The survey cannot close before it opens."))
    if Survey.objects.filter(cohort=cohort, questionnaire=questionnaire).exists():
        raise ValidationError(_("This questionnaire is already put to the cohort."))
    survey = Survey.objects.create(questionnaire=questionnaire, cohort=cohort, opens_on=opens_on, closes_on=closes_on)
    audit_record(
        actor_id=scope.user_id,
        action="survey.attach",
        obj=survey,
        unit_path=cohort.organiser.path,
        changes={"opens_on": [None, opens_on.isoformat()], "closes_on": [None, closes_on.isoformat()]},
    )
    # already open: its learners are told now rather than by tomorrow's reminders
    surveys_waiting_notify(surveys=Survey.objects.filter(pk=survey.pk), today=timezone.localdate())
    return survey


@transaction.atomic
def survey_attach_module(
    *, scope: Scope, module: Module, school_year: SchoolYear, questionnaire: Questionnaire
) -> list[Survey]:
    """Put the questionnaire to every cohort of the module in that school year which the scope
    organises and which does not have it yet (each with its own opening day): all or none."""
    cohorts = Cohort.objects.filter(module=module, school_year=school_year).select_related("organiser", "institution")
    taken = set(Survey.objects.filter(questionnaire=questionnaire).values_list("cohort_id", flat=True))
    return [
        survey_attach(scope=scope, cohort=c, questionnaire=questionnaire)
        for c in cohorts
        if c.pk not in taken and c.managed_by(scope)
    ]


def _clean_answers(
    questions: Sequence[Question], answers: Mapping[int, object]
) -> list[tuple[Question, int | None, str]]:
    """(question, value, text) for every answered question; a missing required answer or a value
    out of range is refused, naming the question's position."""
    out: list[tuple[Question, int | None, str]] = []
    for q in questions:
        raw = answers.get(q.pk)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        if empty:
            if q.required:
                raise ValidationError(_("Please answer question %(n)s.") % {"n": q.position})
            continue
        if q.kind == QuestionKind.OPEN:
            text = str(raw).strip()
            if len(text) > MAX_TEXT:
                raise ValidationError(_("The answer to question %(n)s is too long.") % {"n": q.position})
            out.append((q, None, text))
            continue
        try:
            value = int(str(raw))
        except ValueError:
            raise ValidationError(_("The answer to question %(n)s is not valid.") % {"n": q.position}) from None
        valid = range(1, 6) if q.kind == QuestionKind.LIKERT5 else range(len(q.choices))
        if value not in valid:
            raise ValidationError(_("The answer to question %(n)s is not valid.") % {"n": q.position})
        out.append((q, value, ""))
    return out


@transaction.atomic
def survey_answer(*, scope: Scope, survey: Survey, answers: Mapping[int, object]) -> None:
    """The scope's person, enrolled in the survey's cohort, answers it once while it is open.

    `answers` maps a question's id to its answer (1–5, the index of a choice, or a text). Returns
    nothing: the caller never holds the submission it just wrote. The audit entry says that the
    learner took part, with neither the answers nor the submission."""
    person_id = scope.person_id
    if person_id is None:
        raise PermissionDenied
    enrolment = (
        Enrolment.objects.filter(cohort_id=survey.cohort_id, person_id=person_id, status=EnrolmentStatus.ENROLLED)
        .select_related("cohort__organiser")
        .first()
    )
    if enrolment is None:
        raise PermissionDenied
    today = timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError(_("This survey is not open."))
    participation, _created = Participation.objects.select_for_update().get_or_create(
        survey=survey, person_id=person_id, defaults={"unit_id": enrolment.unit_id, "group_id": enrolment.group_id}
    )
    if participation.answered:
        raise ValidationError(_("You have already answered this survey."))
    cleaned = _clean_answers(list(survey.questionnaire.questions.all()), answers)
    Participation.objects.filter(pk=participation.pk).update(
        answered=True, unit_id=enrolment.unit_id, group_id=enrolment.group_id
    )
    submission = Submission.objects.create(survey=survey)
    rows = [Answer(submission=submission, question=q, value=v, text=t) for q, v, t in cleaned]
    random.shuffle(rows)
    Answer.objects.bulk_create(rows)
    audit_record(
        actor_id=scope.user_id,
        action="survey.participate",
        obj=survey,
        unit_path=enrolment.cohort.organiser.path,
    )
    if scope.user_id is not None:  # the survey waits for them no more: the bell stops counting it
        notification_settle(user_id=scope.user_id, kind=WAITING, event_key=event_key(survey))


@transaction.atomic
def survey_remind(*, scope: Scope, survey: Survey) -> int:
    """Remind by e-mail the enrolled learners who have not answered (at most once a day, while the
    survey is open); the e-mails go from a background task. Returns how many were reminded."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("cohort__organiser", "cohort__institution")
        .get(pk=survey.pk)
    )
    if not survey.cohort.managed_by(scope):
        raise PermissionDenied
    today = timezone.localdate()
    if not survey.opens_on <= today <= survey.closes_on:
        raise ValidationError(_("Reminders go only while the survey is open."))
    if survey.reminded_on == today:
        raise ValidationError(_("A reminder was already sent today."))
    waiting = list(nonrespondents(survey).values("person_id", "unit_id", "group_id"))
    if not waiting:
        raise ValidationError(_("Every learner has answered: there is no one to remind."))
    person_ids = [w["person_id"] for w in waiting]
    Participation.objects.bulk_create(
        [
            Participation(survey=survey, person_id=w["person_id"], unit_id=w["unit_id"], group_id=w["group_id"])
            for w in waiting
        ],
        ignore_conflicts=True,
    )
    Participation.objects.filter(survey=survey, person_id__in=person_ids).update(
        reminders=F("reminders") + 1, reminded_on=today
    )
    Survey.objects.filter(pk=survey.pk).update(reminders=F("reminders") + 1, reminded_on=today)
    audit_record(
        actor_id=scope.user_id,
        action="survey.remind",
        obj=survey,
        unit_path=survey.cohort.organiser.path,
        changes={"learners": [None, len(person_ids)]},
    )
    from bdtx.surveys.tasks import survey_reminders_send

    transaction.on_commit(lambda: survey_reminders_send.enqueue(survey.pk, person_ids))
    return len(person_ids)
