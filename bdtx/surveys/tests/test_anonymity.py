"""The survey's anonymity: nothing in the schema or in the rows written joins an answer to a person."""

import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models

from bdtx.core.models import AuditLog
from bdtx.core.tests.factories import as_person
from bdtx.organisations.models import Unit
from bdtx.people.models import Person
from bdtx.surveys import services
from bdtx.surveys.models import Answer, Participation, Question, Submission, Survey
from bdtx.training.models import Enrolment, SupportGroup

pytestmark = pytest.mark.django_db

ANONYMOUS = (Submission, Answer)
IDENTIFYING = {Person, User, Enrolment, Participation, Unit, SupportGroup}


def test_submissions_and_answers_point_only_at_the_survey_and_its_questions():
    for model in ANONYMOUS:
        targets = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        assert targets <= {Survey, Submission, Question}, model
        assert not targets & IDENTIFYING


def test_no_model_points_at_a_submission_or_an_answer_but_the_answer():
    """No join table, no audit model, no participation holds a submission (or an answer)."""
    pointing = {
        (m, f.name)
        for m in apps.get_models()
        for f in m._meta.concrete_fields
        if f.is_relation and f.related_model in ANONYMOUS
    }
    assert pointing == {(Answer, "submission")}


def test_participation_points_at_no_submission_and_nothing_points_at_it():
    targets = {f.related_model for f in Participation._meta.concrete_fields if f.is_relation}
    assert not targets & set(ANONYMOUS)
    assert not [f for m in apps.get_models() for f in m._meta.concrete_fields if f.related_model is Participation]


def test_no_time_on_either_side_and_no_sequential_key_on_the_anonymous_side():
    for model in ANONYMOUS:
        assert not [f for f in model._meta.concrete_fields if isinstance(f, models.DateField)], model  # DateTime too
        assert isinstance(model._meta.pk, models.UUIDField), model
    assert not [f for f in Participation._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def test_two_learners_answer_and_nothing_says_whose_answers_are_whose(survey, enrol):
    a, b = enrol(2)
    q1, q2, q3 = survey.questionnaire.questions.order_by("position")
    services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 5, q2.pk: 0, q3.pk: "Rất hữu ích"})
    services.survey_answer(scope=as_person(b), survey=survey, answers={q1.pk: 2, q2.pk: 1, q3.pk: "Cần thêm ví dụ"})

    # the two participations differ only by who they are
    rows = list(Participation.objects.filter(survey=survey).order_by("person_id").values())
    assert len(rows) == 2
    assert {k: v for k, v in rows[0].items() if k not in ("id", "person_id")} == {
        k: v for k, v in rows[1].items() if k not in ("id", "person_id")
    }
    # the two submissions differ only by their random key
    subs = list(Submission.objects.filter(survey=survey).values())
    assert len(subs) == 2
    assert set(subs[0]) == {"id", "survey_id"} and subs[0]["survey_id"] == subs[1]["survey_id"]
    # the audit of answering: one entry per learner, holding neither a submission nor an answer
    entries = AuditLog.objects.filter(action="survey.participate")
    assert entries.count() == 2
    dumped = json.dumps(list(entries.values("object_uuid", "object_repr", "changes", "note")), default=str)
    for s in subs:
        assert str(s["id"]) not in dumped and s["id"].hex not in dumped
    for secret in ("Rất hữu ích", "Cần thêm ví dụ"):
        assert secret not in dumped
    assert all(not e.changes for e in entries)
    # nothing on the anonymous side names the learners
    anonymous = json.dumps(list(Answer.objects.values()) + subs, default=str)
    for p in (a, b):
        assert str(p.uuid) not in anonymous and p.full_name not in anonymous
        assert str(Enrolment.objects.get(person=p).uuid) not in anonymous


def test_the_survey_waiting_notification_holds_nothing_of_the_answers(survey, enrol):
    """Telling a learner of the survey, and settling it when they answer, reads and writes only who
    takes part: the notification names the survey, never a submission nor an answer."""
    from django.utils import timezone

    from bdtx.notifications.models import Notification
    from bdtx.notifications.reminders import reminders_send

    (a,) = enrol(1)
    reminders_send(today=timezone.localdate())
    q1, q2, q3 = survey.questionnaire.questions.order_by("position")
    services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 1, q2.pk: 1, q3.pk: "Bí mật riêng"})
    told = json.dumps(list(Notification.objects.filter(user=a.user).values()), default=str)
    (sub,) = Submission.objects.filter(survey=survey).values_list("id", flat=True)
    assert str(sub) not in told and sub.hex not in told and "Bí mật riêng" not in told
    assert not [str(x) for x in Answer.objects.values_list("id", flat=True) if str(x) in told]
