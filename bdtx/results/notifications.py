"""What year results tell people (registered from `ResultsConfig.ready`): the school's deciders (its
principal) learn that the authority recognised their proposed results, or returned them with what to
correct. Sent inside the deciding transaction; the event key names the school, the year and the
moment, so a later proposal and decision is a new event."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import SchoolYear
from bdtx.notifications.kinds import NotificationKind
from bdtx.notifications.services import notify
from bdtx.organisations.models import Unit
from bdtx.plans.notifications import DECIDERS, deciders

KINDS = [
    NotificationKind(
        "results.returned",
        _("The school's year results were returned"),
        _("The authority sent the school's proposed year results back with what to correct."),
        permissions=DECIDERS,
    ),
    NotificationKind(
        "results.recognised",
        _("The school's year results were recognised"),
        _("The authority recognised the school's proposed year results."),
        default_email=False,
        permissions=DECIDERS,
    ),
]


def results_decided(*, school: Unit, school_year: SchoolYear, people: int, comment: str = "") -> None:
    """Tell the school's deciders that its proposal was recognised (no comment) or returned (with it)."""
    returned = bool(comment)
    notify(
        user_ids=deciders(Unit.objects.filter(pk=school.pk).values("pk")),
        kind="results.returned" if returned else "results.recognised",
        event_key=f"results:{school.pk}:{school_year.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        title=(
            _("The year results of %(unit)s for %(year)s were returned")
            if returned
            else _("%(people)s year results of %(unit)s for %(year)s were recognised")
        ),
        body=_("What to correct: %(comment)s") if returned else "",
        params={"unit": school.name, "year": str(school_year), "people": people, "comment": comment},
        url=f"{reverse('results:unit', kwargs={'uuid': school.uuid})}?year={school_year.pk}",
    )
