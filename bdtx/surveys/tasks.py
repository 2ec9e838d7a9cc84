"""Background work of surveys: the reminder e-mails. Tasks receive ids only."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from bdtx.people.models import Person
from bdtx.surveys.models import Survey

logger = logging.getLogger(__name__)


@task
def survey_reminders_send(survey_id: int, person_ids: list[int]) -> None:
    """One e-mail to each learner named (those `survey_remind` found without an answer) who has an
    address: their staff record's, else their account's."""
    survey = Survey.objects.select_related("questionnaire", "cohort").filter(pk=survey_id).first()
    if survey is None:
        return
    path = reverse("surveys:answer", kwargs={"uuid": survey.uuid})
    base = getattr(settings, "BDTX_SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Please answer the survey: %(title)s") % {"title": survey.questionnaire.title}
        for person in Person.objects.filter(pk__in=person_ids).select_related("user"):
            address = person.email or (person.user.email if person.user else "")
            if not address:
                continue
            body = _(
                "Dear %(name)s,\n\nThe survey of the cohort %(cohort)s is open until %(closes)s. "
                "Your answers are anonymous: no one can see who gave them.\n\nAnswer here: %(url)s\n"
            ) % {
                "name": person.full_name,
                "cohort": survey.cohort.name,
                "closes": survey.closes_on.strftime("%d/%m/%Y"),
                "url": f"{base}{path}",
            }
            try:
                send_mail(subject, body, None, [address])
            except Exception:  # one address the server refuses does not stop the others
                logger.warning("survey reminder not sent to person %s", person.pk, exc_info=True)
