"""What training tells people (registered from `TrainingConfig.ready`): a question answered (to
the learner who asked it), a completion list returned or approved (to whoever sent it)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bdtx.core.scope import Perm
from bdtx.notifications.kinds import NotificationKind
from bdtx.notifications.services import notify
from bdtx.training.models import CompletionList, CompletionListStatus, Enrolment, Question

ORGANISERS = frozenset({Perm.TRAINING_MANAGE, Perm.TRAINING_ASSESS})  # who sends completion lists

KINDS = [
    NotificationKind(
        "question.answered",
        _("My question was answered"),
        _("A core teacher or a trainer answered a question you asked."),
    ),
    NotificationKind(
        "completion.returned",
        _("A completion list was returned"),
        _("The managing office sent back a completion list you sent, with the reason."),
        permissions=ORGANISERS,
    ),
    NotificationKind(
        "completion.approved",
        _("A completion list was approved"),
        _("The managing office approved a completion list you sent."),
        default_email=False,
        permissions=ORGANISERS,
    ),
]


def question_answered(question: Question) -> None:
    """Tell the learner who asked that their question has its first answer."""
    asker = Enrolment.objects.filter(pk=question.enrolment_id).values_list("person__user_id", flat=True)
    notify(
        user_ids=list(asker),
        kind="question.answered",
        event_key=f"question:{question.pk}",
        title=_("Your question was answered: %(title)s"),
        body=_("Cohort: %(cohort)s"),
        params={"title": question.title, "cohort": question.cohort.name},
        url=reverse("training:question", kwargs={"uuid": question.uuid}),
    )


def completion_list_decided(lst: CompletionList) -> None:
    """Tell whoever sent the list that the managing office returned or approved it."""
    returned = lst.status == CompletionListStatus.RETURNED
    notify(
        user_ids=[lst.submitted_by_id],
        kind="completion.returned" if returned else "completion.approved",
        event_key=f"completion_list:{lst.pk}:{lst.status}:{lst.decided_at:%Y%m%d%H%M%S%f}",
        title=(
            _("The completion list of %(cohort)s for %(office)s was returned")
            if returned
            else _("The completion list of %(cohort)s for %(office)s was approved")
        ),
        body=_("Reason: %(reason)s") if returned else "",
        params={"cohort": lst.cohort.name, "office": lst.office.name, "reason": lst.note},
        url=reverse("training:completion_list", kwargs={"uuid": lst.uuid}),
    )
