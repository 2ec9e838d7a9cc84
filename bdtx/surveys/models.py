"""Learner surveys (phiếu khảo sát ý kiến người học, seed 003 section III; TT 19/2019).

A `Questionnaire` is data: its `Question` rows (Likert 1–5, single choice, open text) and the rule
of satisfaction. A `Survey` is a questionnaire put to one cohort's learners between two days.

Anonymous by design — two halves that nothing joins:

- `Participation` says WHO answered (survey, person, school, support group) and how often they were
  reminded: the response rate per group and school, and the reminders, read it. It holds no answer,
  no time and no reference to a submission.
- `Submission` and its `Answer` rows say WHAT was answered. Neither has a foreign key to a person,
  a user, an enrolment, a participation, a unit or a group; their primary keys are random UUIDs
  (not a sequence that would follow the order of the participations); they carry no timestamp at
  all, not even a day (the audit entry of a participation has a time, so a day on the submission
  would single out whoever answered alone that day).

Results are per survey (hence per cohort) or over a set of surveys, never per school or group: a
small school's answers would point at its two or three learners, so the submission does not even
keep the school. Results are shown only from `MIN_RESPONSES` submissions (small-cell suppression),
and open answers are listed without attribution, in alphabetical order.

What is left, and said plainly: the database's own bookkeeping (PostgreSQL's `xmin`/`ctid`, SQLite's
`rowid`) orders rows as they were written, so someone with raw access to the database and the will
to compare system columns of two tables could line them up; no page, export, selector or API of the
application reads them. Open answers can name their writer by what they say.
"""

import uuid

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.core.scope import Scope, ScopedQuerySet, path_within_q
from bdtx.training.models import Enrolment, EnrolmentStatus

MIN_RESPONSES = 5  # results are shown from this many submissions of a survey (or set of surveys)


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class QuestionKind(models.TextChoices):
    LIKERT5 = "likert5", _("Scale of 1 to 5")
    SINGLE = "single", _("One choice")
    OPEN = "open", _("Open answer")


LIKERT_LABELS = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}


class QuestionnaireQuerySet(ScopedQuerySet):
    scope_path_field = "owner__path"

    def visible_to(self, scope: Scope, permission: str | None = None) -> "QuestionnaireQuerySet":
        """The scope's units' questionnaires, and the shared ones (no owner: shipped with the system)."""
        q = path_within_q("owner__path", scope.paths(permission), self._vendor())
        return self.filter(q | Q(owner__isnull=True))


class Questionnaire(BaseModel):
    """A questionnaire as data. A learner is satisfied with the module when the average of their
    answers to the Likert questions that `counts_for_satisfaction` is at least `satisfied_from`
    (4 by default: "agree" or "strongly agree"; a 3 is not satisfied). The rule is this row's, so a
    Sở that reads it otherwise writes another number, not another program."""

    title = models.CharField(_("title"), max_length=255)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT
    )
    # the unit that keeps it; none: shipped with the system, offered to everyone
    owner = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    satisfied_from = models.PositiveSmallIntegerField(_("satisfied from (1–5)"), default=4)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfied_from__gte=1, satisfied_from__lte=5), name="questionnaire_satisfied_1_5"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    choices = models.JSONField(_("choices"), default=list, blank=True)  # the options of a single choice, in order
    required = models.BooleanField(_("required"), default=True)
    counts_for_satisfaction = models.BooleanField(_("counts for the satisfaction rate"), default=False)

    class Meta:
        ordering = ["questionnaire", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="survey_question_position"),
            models.CheckConstraint(
                condition=Q(counts_for_satisfaction=False) | Q(kind=QuestionKind.LIKERT5),
                name="survey_satisfaction_is_likert",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SurveyQuerySet(ScopedQuerySet):
    scope_path_field = "cohort__organiser__path"

    def visible_to(self, scope: Scope, permission: str | None = None) -> "SurveyQuerySet":
        """Surveys of cohorts organised (or assessed) in the scope's subtrees, and — without a
        permission asked — those put to the scope's person as an enrolled learner."""
        vendor = self._vendor()
        paths = scope.paths(permission)
        q = path_within_q("cohort__organiser__path", paths, vendor) | path_within_q(
            "cohort__institution__path", paths, vendor
        )
        if permission is None and scope.person_id:
            mine = Enrolment.objects.filter(
                cohort=OuterRef("cohort"), person_id=scope.person_id, status=EnrolmentStatus.ENROLLED
            )
            q |= Q(Exists(mine))
        return self.filter(q)


class Survey(BaseModel):
    """A questionnaire put to the learners of one cohort, open from `opens_on` to `closes_on`."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("questionnaire")
    )
    cohort = models.ForeignKey("training.Cohort", on_delete=models.CASCADE, related_name="+")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True, editable=False)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "questionnaire"], name="one_survey_per_cohort_questionnaire"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.cohort}"


class Participation(models.Model):
    """That a learner took part in a survey (or was reminded to): the response rate and reminders.
    No answer, no time and no link to a `Submission` — see the module's docstring."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")  # their school
    group = models.ForeignKey(
        "training.SupportGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered = models.BooleanField(_("answered"), default=False)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["survey", "person"], name="one_participation_per_survey")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.survey_id}"


class Submission(models.Model):
    """One anonymous set of answers to a survey: a random key, the survey, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="submissions")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return str(self.survey)


class Answer(models.Model):
    """One answer of a submission: a number (Likert 1–5), a choice (its position) or a text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5, or the index of the choice
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return str(self.question)
