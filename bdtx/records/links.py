"""The link to a person's BDTX record (`bdtx.core.person_links`), on the person page in `people`."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.person_links import PersonLink
from bdtx.core.scope import Scope
from bdtx.people.models import Employment, Person
from bdtx.records.selectors import record_may_view

KEY = "records.record"


def record_link(*, scope: Scope, person_id: int, school_year: SchoolYear) -> PersonLink | None:
    """The record covers every year: the link is the same whatever the year the page shows, for who
    may open it (`record_may_view`: the person, or PEOPLE_VIEW over their current unit). One query."""
    latest = (
        Employment.objects.filter(person_id=person_id)
        .select_related("unit", "person")
        .order_by("-school_year_id")
        .first()
    )
    if not record_may_view(scope, person_id, latest):
        return None
    # without an employment only the person themself gets here
    person = latest.person if latest is not None else Person.objects.only("uuid").get(pk=person_id)
    uuid = person.uuid
    url = reverse("records:detail", args=[uuid])
    return PersonLink(KEY, _("BDTX record"), _("Every school year, with results and certificates"), url)
