"""What surveys tell people (registered from `SurveysConfig.ready`): a survey waiting — once a survey
of a cohort they learn in is open, each enrolled learner who has not answered it is told, once, with
the link to answer.

Told by the daily reminders (`send_reminders`), and at once when a survey is attached already open.
Set-based: one query finds the open surveys, one the learners of their cohorts, one who answered and
one who was told already; the rows are written in batches (`notify_each`), so the queries do not
grow with the learners. The event key names the survey: a rerun, a later day or a learner enrolled
after the opening never tells anyone twice (a learner enrolled later is told on the next run).

Only participation is read (who answered), never an answer: nothing here touches the anonymous side.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bdtx.notifications.kinds import NotificationKind
from bdtx.notifications.models import Notification
from bdtx.notifications.services import Event, notify_each, render_message
from bdtx.surveys.models import Participation, Survey
from bdtx.training.models import Enrolment, EnrolmentStatus

WAITING = "survey.waiting"

KINDS = [
    NotificationKind(
        WAITING,
        _("A survey waits for my answers"),
        _("A survey of a cohort you learn in has opened and you have not answered it yet (anonymously)."),
    ),
]


def event_key(survey: Survey) -> str:
    return f"survey:{survey.pk}:waiting"


def surveys_waiting_notify(*, surveys: QuerySet[Survey], today: date) -> int:
    """Tell the enrolled learners (with an account) of these surveys' cohorts who have neither answered
    nor been told yet, for each of the surveys open on `today`. Returns how many were told."""
    open_surveys = surveys.filter(opens_on__lte=today, closes_on__gte=today)
    found = list(open_surveys.select_related("questionnaire", "cohort").order_by("pk"))
    if not found:
        return 0
    by_cohort: dict[int, list[Survey]] = defaultdict(list)
    for s in found:
        by_cohort[s.cohort_id].append(s)
    keys = {s.pk: event_key(s) for s in found}
    answered = set(
        Participation.objects.filter(survey__in=open_surveys.values("pk"), answered=True).values_list(
            "survey_id", "person_id"
        )
    )
    told = set(
        Notification.objects.filter(kind=WAITING, event_key__in=keys.values()).values_list("user_id", "event_key")
    )
    learners = (
        Enrolment.objects.filter(
            cohort__in=open_surveys.values("cohort"), status=EnrolmentStatus.ENROLLED, person__user__isnull=False
        )
        .values_list("cohort_id", "person_id", "person__user_id")
        .order_by()
    )
    texts = {
        s.pk: render_message(
            _("A survey waits for your answers: %(title)s"),
            _(
                "Cohort %(cohort)s. Your answers are anonymous: no one can tell which answers are yours. "
                "Open until %(closes)s."
            ),
            {"title": s.questionnaire.title, "cohort": s.cohort.name, "closes": f"{s.closes_on:%d/%m/%Y}"},
        )
        for s in found
    }
    urls = {s.pk: reverse("surveys:answer", kwargs={"uuid": s.uuid}) for s in found}

    def events() -> Iterator[Event]:
        for cohort_id, person_id, user_id in learners.iterator(chunk_size=2000):
            for s in by_cohort[cohort_id]:
                if (s.pk, person_id) in answered or (user_id, keys[s.pk]) in told:
                    continue
                told.add((user_id, keys[s.pk]))  # a learner enrolled twice in the cohort is told once
                yield Event(user_id, keys[s.pk], texts[s.pk][0], texts[s.pk][1], urls[s.pk])

    return notify_each(kind=WAITING, events=events())


def survey_waiting_reminders(*, today: date) -> int:
    """The daily run: every survey open today."""
    return surveys_waiting_notify(surveys=Survey.objects.all(), today=today)
