"""Reads of the summaries' state: which units changed since their summaries were computed, and the
background jobs that compute them."""

from django.db.models import QuerySet

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.organisations.models import Unit
from bdtx.summaries.models import Change, RefreshJob


def stale_unit_ids(*, school_year: SchoolYear, units: QuerySet[Unit]) -> list[int]:
    """The units among `units` whose figures of the year changed since their summaries were computed
    (one query, on the change log, which holds only what is not yet recomputed)."""
    return sorted(
        Change.objects.filter(school_year_id=school_year.pk, unit_id__in=units.values("pk"))
        .values_list("unit_id", flat=True)
        .distinct()
    )


def job_get(*, scope: Scope, uuid: str) -> RefreshJob:
    """A job of a unit the viewer sees (RefreshJob.DoesNotExist → 404 outside the scope)."""
    return RefreshJob.objects.visible_to(scope).select_related("unit", "school_year").get(uuid=uuid)
