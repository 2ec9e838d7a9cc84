"""A survey waiting: once a survey opens, each enrolled learner who has not answered is told once (in
the app and by e-mail per their choice), by the daily reminders or at once when attached open."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.core.tests.factories import as_person
from bdtx.notifications.models import Notification, NotificationPreference
from bdtx.notifications.reminders import reminders_send
from bdtx.notifications.services import notification_emails_send
from bdtx.surveys import services
from bdtx.surveys.models import Survey
from bdtx.surveys.notifications import surveys_waiting_notify
from bdtx.training.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db


def waiting(survey: Survey) -> list[tuple[int, str]]:
    return sorted(
        Notification.objects.filter(kind="survey.waiting", url__contains=str(survey.uuid)).values_list(
            "user_id", "event_key"
        )
    )


def _answer(survey, person):  # type: ignore[no-untyped-def]
    q1, q2, _q3 = survey.questionnaire.questions.order_by("position")
    services.survey_answer(scope=as_person(person), survey=survey, answers={q1.pk: 4, q2.pk: 0})


def test_the_daily_run_tells_each_learner_who_has_not_answered_once(survey, enrol):
    a, b, c = enrol(3)
    _answer(survey, c)  # answered already: nothing to tell
    Enrolment.objects.filter(person=b).update(status=EnrolmentStatus.WITHDRAWN)
    today = timezone.localdate()
    reminders_send(today=today)
    assert waiting(survey) == [(a.user_id, f"survey:{survey.pk}:waiting")]
    n = Notification.objects.get(kind="survey.waiting")
    assert n.url == reverse("surveys:answer", kwargs={"uuid": survey.uuid})
    assert "Phiếu thử" in n.title and n.in_app and n.read_at is None
    # a rerun, the next day, the command: nobody is told twice
    reminders_send(today=today)
    reminders_send(today=today + timedelta(days=1))
    call_command("send_reminders", "--no-email", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notification.objects.filter(kind="survey.waiting").count() == 1


def test_the_email_goes_once_and_links_to_the_form(survey, enrol, settings):
    settings.BDTX_SITE_URL = "https://bdtx.example.vn"
    (a,) = enrol(1)
    mail.outbox.clear()
    reminders_send(today=timezone.localdate())
    notification_emails_send()
    notification_emails_send()
    sent = [m for m in mail.outbox if {a.user.email, a.email} & set(m.to)]
    assert len(sent) == 1
    assert reverse("surveys:answer", kwargs={"uuid": survey.uuid}) in sent[0].body


def test_a_learner_who_switched_the_email_off_is_told_in_the_app_only(survey, enrol):
    (a,) = enrol(1)
    NotificationPreference.objects.create(user_id=a.user_id, kind="survey.waiting", in_app=True, email=False)
    reminders_send(today=timezone.localdate())
    n = Notification.objects.get(kind="survey.waiting", user_id=a.user_id)
    assert n.in_app and not n.email_pending


def test_nobody_is_told_before_the_survey_opens_nor_after_it_closes(survey, enrol):
    enrol(2)
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(opens_on=today + timedelta(days=2), closes_on=today + timedelta(days=9))
    reminders_send(today=today)
    assert waiting(survey) == []
    reminders_send(today=today + timedelta(days=10))  # closed by then
    assert waiting(survey) == []
    reminders_send(today=today + timedelta(days=2))  # the opening day
    assert len(waiting(survey)) == 2


def test_a_learner_enrolled_after_the_opening_is_told_on_the_next_run(survey, enrol):
    enrol(1)
    today = timezone.localdate()
    reminders_send(today=today)
    (late,) = enrol(1)
    reminders_send(today=today + timedelta(days=1))
    assert late.user_id in {u for u, _k in waiting(survey)}
    assert len(waiting(survey)) == 2


def test_attaching_a_survey_already_open_tells_its_learners_at_once(world, cohort, questionnaire, enrol, scope_of):
    a, b = enrol(2)
    today = timezone.localdate()
    survey = services.survey_attach(
        scope=scope_of("so_a"), cohort=cohort, questionnaire=questionnaire, opens_on=today, closes_on=today
    )
    assert {u for u, _k in waiting(survey)} == {a.user_id, b.user_id}


def test_attaching_a_survey_that_opens_later_tells_nobody_yet(world, cohort, questionnaire, enrol, scope_of):
    enrol(2)
    tomorrow = timezone.localdate() + timedelta(days=1)
    survey = services.survey_attach(
        scope=scope_of("so_a"), cohort=cohort, questionnaire=questionnaire, opens_on=tomorrow
    )
    assert waiting(survey) == []
    reminders_send(today=tomorrow)
    assert len(waiting(survey)) == 2


def _queries(survey: Survey) -> int:
    Notification.objects.filter(kind="survey.waiting").delete()
    with CaptureQueriesContext(connection) as ctx:
        surveys_waiting_notify(surveys=Survey.objects.all(), today=timezone.localdate())
    assert len(waiting(survey)) == Enrolment.objects.filter(cohort=survey.cohort, person__user__isnull=False).count()
    return len(ctx.captured_queries)


def test_the_queries_do_not_grow_with_the_learners(survey, enrol):
    enrol(3)
    few = _queries(survey)
    enrol(25)
    assert _queries(survey) == few


def test_answering_settles_the_notification_and_leaves_the_others_unread(survey, enrol):
    a, b = enrol(2)
    reminders_send(today=timezone.localdate())
    _answer(survey, a)
    unread = dict(Notification.objects.filter(kind="survey.waiting").values_list("user_id", "read_at"))
    assert unread[a.user_id] is not None and unread[b.user_id] is None
