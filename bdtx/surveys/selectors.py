"""Reads of learner surveys: the surveys a viewer reaches, response tracking (who has not answered,
per group and school), the anonymous results, and the breakdown of learners who did not answer.

For Biểu 3 (the report of a module's training, seed 003):
- section III 3.1, 3.2, 3.3: `survey_results(surveys=…)` → `Results.responses`, `.enrolled`,
  `.response_rate`; `.satisfied_rate`; `.open_answers` (None while under `MIN_RESPONSES`);
- section V 5.2 b: `survey_nonrespondents_breakdown(surveys=…)` → `Breakdown(total, women,
  minority, difficult)`.
Both take any queryset of surveys (one cohort's, or every cohort of a module in a year within a
unit's subtree) and answer in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import vn_text_key
from bdtx.people.models import KINH_CODE, Employment, Person, difficult_area_q
from bdtx.surveys.models import (
    LIKERT_LABELS,
    MIN_RESPONSES,
    Answer,
    Participation,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Submission,
    Survey,
)
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus


def survey_get(*, scope: Scope, uuid: str) -> Survey:
    """A survey the scope reaches (DoesNotExist otherwise: a 404)."""
    return (
        Survey.objects.visible_to(scope)
        .select_related(
            "questionnaire",
            "cohort",
            "cohort__organiser",
            "cohort__institution",
            "cohort__module",
            "cohort__school_year",
        )
        .get(uuid=uuid)
    )


def questionnaires_usable(*, scope: Scope) -> QuerySet[Questionnaire]:
    """Published questionnaires the scope may put to a cohort: its units' and the shared ones."""
    return Questionnaire.objects.visible_to(scope).filter(status=QuestionnaireStatus.PUBLISHED).select_related("owner")


def questionnaires_kept(*, scope: Scope) -> QuerySet[Any]:
    """The questionnaires a training manager works with: those kept by the units where they manage
    training (and below), drafts included, and the shared published ones (read-only to them), each
    with `question_count` and `survey_count` (of the surveys of their own cohorts). One query:
    counted by subqueries, no join that multiplies rows."""
    questions = Question.objects.filter(questionnaire=OuterRef("pk")).order_by().values("questionnaire")
    # only the surveys of the viewer's own cohorts: the shared questionnaire's use elsewhere is not theirs to count
    surveys = (
        Survey.objects.visible_to(scope, Perm.TRAINING_MANAGE)
        .filter(questionnaire=OuterRef("pk"))
        .order_by()
        .values("questionnaire")
    )
    return (
        Questionnaire.objects.visible_to(scope, Perm.TRAINING_MANAGE)
        .filter(Q(owner__isnull=False) | Q(status=QuestionnaireStatus.PUBLISHED))
        .select_related("owner")
        .annotate(
            question_count=Coalesce(
                Subquery(questions.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
            survey_count=Coalesce(
                Subquery(surveys.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            ),
        )
        .order_by(F("owner").asc(nulls_first=True), "title", "id")
    )


def modules_to_survey(*, scope: Scope, school_year: SchoolYear) -> list[tuple[int, str, int]]:
    """(module id, module, cohorts) of the modules the scope organises cohorts of that school year:
    the choices of putting one questionnaire to every cohort of a module. Two queries."""
    counts = dict(
        Cohort.objects.visible_to(scope, Perm.TRAINING_MANAGE)
        .filter(school_year=school_year, module__isnull=False)
        .values("module")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("module", "n")
    )
    modules = Module.objects.filter(pk__in=list(counts)).only("pk", "code", "title")
    return sorted(((m.pk, str(m), counts[m.pk]) for m in modules), key=lambda r: (vn_text_key(r[1]), r[0]))


def questionnaire_get(*, scope: Scope, uuid: Any) -> Questionnaire:
    """A questionnaire the scope reaches: kept in its subtrees, or shared (DoesNotExist otherwise: a 404)."""
    return Questionnaire.objects.visible_to(scope).select_related("owner").get(uuid=uuid)


def questionnaire_questions(questionnaire: Questionnaire) -> list[Question]:
    return list(Question.objects.filter(questionnaire=questionnaire).order_by("position"))


def questionnaire_answered(questionnaire: Questionnaire) -> bool:
    """Whether any learner has answered it (then its questions and rule are frozen)."""
    return Submission.objects.filter(survey__questionnaire=questionnaire).exists()


def questions_of(survey: Survey) -> list[Question]:
    return list(Question.objects.filter(questionnaire_id=survey.questionnaire_id).order_by("position"))


def cohorts_with_surveys(*, scope: Scope, school_year: SchoolYear) -> list[Cohort]:
    """The cohorts of the year whose training the scope sees, each with `.surveys` (its surveys with
    `answered` and `enrolled` counts): the organiser's list. Three queries."""
    cohorts = list(
        Cohort.objects.visible_to(scope, Perm.TRAINING_VIEW)
        .filter(school_year=school_year)
        .select_related("organiser", "module", "institution")
        .order_by("name", "id")
    )
    by_cohort: dict[int, list[Survey]] = defaultdict(list)
    enrolled = Enrolment.objects.filter(cohort=OuterRef("cohort"), status=EnrolmentStatus.ENROLLED)
    surveys = (
        Survey.objects.filter(cohort__in=[c.pk for c in cohorts])
        .select_related("questionnaire")
        .annotate(
            answered=Count("participations", filter=Q(participations__answered=True)),
            enrolled=_count_subquery(enrolled),
        )
    )
    for s in surveys:
        by_cohort[s.cohort_id].append(s)
    for c in cohorts:
        c.surveys = by_cohort[c.pk]
    return cohorts


def _count_subquery(qs: QuerySet[Any]) -> Any:
    counted = qs.order_by().values("cohort").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def surveys_waiting(*, person: Person | None, today: date) -> QuerySet[Survey]:
    """Open surveys of the person's cohorts (enrolled) that they have not answered: their landing page."""
    if person is None:
        return Survey.objects.none()
    mine = Enrolment.objects.filter(cohort=OuterRef("cohort"), person=person, status=EnrolmentStatus.ENROLLED)
    done = Participation.objects.filter(survey=OuterRef("pk"), person=person, answered=True)
    return (
        Survey.objects.filter(Exists(mine), ~Exists(done), opens_on__lte=today, closes_on__gte=today)
        .select_related("questionnaire", "cohort")
        .order_by("closes_on", "id")
    )


def has_answered(*, survey: Survey, person: Person | None) -> bool:
    return person is not None and Participation.objects.filter(survey=survey, person=person, answered=True).exists()


def nonrespondents(survey: Survey) -> QuerySet[Enrolment]:
    """Enrolled learners of the survey's cohort who have not answered it."""
    answered = Participation.objects.filter(survey=survey, answered=True).values("person_id")
    return Enrolment.objects.filter(cohort_id=survey.cohort_id, status=EnrolmentStatus.ENROLLED).exclude(
        person_id__in=answered
    )


def nonrespondent_list(*, survey: Survey) -> QuerySet[Enrolment]:
    """Who has not answered, with how often they were reminded: names for the organiser's reminders,
    never linked to an answer."""
    reminded = Participation.objects.filter(survey=survey, person=OuterRef("person")).values("reminders")[:1]
    return (
        nonrespondents(survey)
        .select_related("person", "unit", "group")
        .annotate(reminders=Subquery(reminded))
        .order_by("unit__name", "person__sort_key", "id")
    )


@dataclass(frozen=True)
class Tracking:
    """Response counts of one group or school: enrolled learners and those who answered."""

    name: str
    enrolled: int
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.enrolled if self.enrolled else 0.0


def survey_tracking(*, survey: Survey, by: str) -> list[Tracking]:
    """Response counts per support group (`by="group"`) or per school (`by="unit"`): counts of
    participation only (no answer is kept per group or school). Two queries."""
    key = f"{by}_id"
    name = f"{by}__name"
    enrolled = (
        Enrolment.objects.filter(cohort_id=survey.cohort_id, status=EnrolmentStatus.ENROLLED)
        .values(key, name)
        .annotate(n=Count("pk"))
        .order_by(name)
    )
    answered_people = Participation.objects.filter(survey=survey, answered=True).values("person_id")
    answered = dict(
        Enrolment.objects.filter(
            cohort_id=survey.cohort_id, status=EnrolmentStatus.ENROLLED, person_id__in=answered_people
        )
        .values(key)
        .annotate(n=Count("pk"))
        .values_list(key, "n")
    )
    return [Tracking(name=r[name] or "—", enrolled=r["n"], answered=answered.get(r[key], 0)) for r in enrolled]


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[str, int]] = field(default_factory=list)  # (label, answers) for a scale or a choice
    answered: int = 0
    average: float | None = None
    texts: list[str] = field(default_factory=list)  # open answers, alphabetical, no attribution


@dataclass
class Results:
    """A survey's (or a set of surveys') results. Figures of answers are None while there are fewer
    than `MIN_RESPONSES` submissions; the counts of participation are always there."""

    enrolled: int
    responses: int
    suppressed: bool
    satisfied: int | None = None
    questions: list[QuestionResult] = field(default_factory=list)

    @property
    def response_rate(self) -> float:
        return self.responses / self.enrolled if self.enrolled else 0.0

    @property
    def satisfied_rate(self) -> float | None:
        if self.satisfied is None or not self.responses:
            return None
        return self.satisfied / self.responses

    @property
    def open_answers(self) -> list[str] | None:
        if self.suppressed:
            return None
        return [t for q in self.questions for t in q.texts]


def survey_results(*, surveys: QuerySet[Survey]) -> Results:
    """Results of these surveys, aggregated by the database: enrolled learners, submissions, the
    satisfied (a submission whose average over the satisfaction questions reaches its questionnaire's
    `satisfied_from`), and — when they share one questionnaire — each question's distribution and
    the open answers. Five queries at most."""
    ids = list(surveys.values_list("pk", flat=True))
    enrolled = Enrolment.objects.filter(
        cohort__in=Survey.objects.filter(pk__in=ids).values("cohort"), status=EnrolmentStatus.ENROLLED
    ).count()
    subs = Submission.objects.filter(survey_id__in=ids)
    responses = subs.count()
    if responses < MIN_RESPONSES:
        return Results(enrolled=enrolled, responses=responses, suppressed=True)
    satisfied = (
        subs.annotate(
            score=Avg("answers__value", filter=Q(answers__question__counts_for_satisfaction=True)),
        )
        .filter(score__gte=F("survey__questionnaire__satisfied_from"))
        .count()
    )
    results = Results(enrolled=enrolled, responses=responses, suppressed=False, satisfied=satisfied)
    questionnaires = set(Survey.objects.filter(pk__in=ids).values_list("questionnaire_id", flat=True))
    if len(questionnaires) != 1:
        return results
    questions = list(Question.objects.filter(questionnaire_id__in=questionnaires).order_by("position"))
    answers = Answer.objects.filter(submission__survey_id__in=ids)
    counts: dict[tuple[int, int | None], int] = {
        (r["question_id"], r["value"]): r["n"]
        for r in answers.exclude(value=None).values("question_id", "value").annotate(n=Count("pk")).order_by()
    }
    texts: dict[int, list[str]] = defaultdict(list)
    for qid, text in (
        answers.filter(question__kind=QuestionKind.OPEN).exclude(text="").values_list("question_id", "text")
    ):
        texts[qid].append(text)
    for q in questions:
        r = QuestionResult(question=q)
        if q.kind == QuestionKind.LIKERT5:
            r.counts = [(str(LIKERT_LABELS[v]), counts.get((q.pk, v), 0)) for v in range(1, 6)]
            r.answered = sum(n for _l, n in r.counts)
            total = sum(v * counts.get((q.pk, v), 0) for v in range(1, 6))
            r.average = total / r.answered if r.answered else None
        elif q.kind == QuestionKind.SINGLE:
            r.counts = [(label, counts.get((q.pk, i), 0)) for i, label in enumerate(q.choices)]
            r.answered = sum(n for _l, n in r.counts)
        else:
            r.texts = sorted(texts[q.pk], key=lambda t: (vn_text_key(t), t))
            r.answered = len(r.texts)
        results.questions.append(r)
    return results


@dataclass(frozen=True)
class Breakdown:
    """Learners who did not answer (Biểu 3, V 5.2 b): all, women, ethnic minorities, in a difficult area."""

    total: int
    women: int
    minority: int
    difficult: int


def survey_nonrespondents_breakdown(
    *, surveys: QuerySet[Survey], among: QuerySet[Enrolment] | None = None
) -> Breakdown:
    """Enrolled learners of these surveys' cohorts who have answered none of them (their cohort's),
    with those who are women, of an ethnic minority (an ethnicity other than Kinh), and working in a
    difficult area that school year (their employment's own flag, else its unit's; without an
    employment that year, the school they enrolled from). `among`: only these enrolments (a Biểu 3's
    learners: its subtree of that year, its audience, modules and period). One query."""
    ids = surveys.values("pk")
    answered = Participation.objects.filter(
        survey__in=ids, survey__cohort=OuterRef("cohort"), person=OuterRef("person"), answered=True
    )
    post = Employment.objects.filter(person=OuterRef("person"), school_year=OuterRef("school_year"))
    difficult = Q(Exists(post.filter(difficult_area_q()))) | (~Q(Exists(post)) & Q(unit__difficult_area=True))
    learners = Enrolment.objects.filter(
        status=EnrolmentStatus.ENROLLED, cohort__in=Survey.objects.filter(pk__in=ids).values("cohort")
    )
    if among is not None:
        learners = learners.filter(pk__in=among.values("pk"))
    r = learners.filter(~Exists(answered)).aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(person__gender="F")),
        minority=Count("pk", filter=Q(person__ethnicity__isnull=False) & ~Q(person__ethnicity_id=KINH_CODE)),
        difficult=Count("pk", filter=difficult),
    )
    return Breakdown(total=r["total"], women=r["women"], minority=r["minority"], difficult=r["difficult"])


def is_enrolled(*, survey: Survey, person: Person | None) -> bool:
    """Whether the person learns (enrolled) in the survey's cohort: who may answer it."""
    return (
        person is not None
        and Enrolment.objects.filter(
            cohort_id=survey.cohort_id, person=person, status=EnrolmentStatus.ENROLLED
        ).exists()
    )
