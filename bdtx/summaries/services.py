"""Bringing the per-unit summaries up to date.

`refresh` recomputes the summaries of some units of a year (every registered summariser, one
transaction, under the year's lock) and consumes their logged changes. `ensure_fresh` is what a
report or dashboard calls before it sums the summaries of a subtree: units whose data changed since
are recomputed in the request when they are few (`settings.SUMMARIES_INLINE_LIMIT`), else by a background job the page
follows with a progress bar.

These functions maintain derived data only (nothing a user owns changes), so they take no scope:
the pages that call them check that the viewer may see the unit.
"""

from collections.abc import Sequence
from datetime import timedelta
from itertools import batched

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import units_under_on
from bdtx.summaries.models import Change, RefreshJob, YearLock
from bdtx.summaries.registry import summarisers
from bdtx.summaries.selectors import stale_unit_ids

BATCH = 250  # units recomputed per transaction by a background job


def refresh(*, school_year_id: int, unit_ids: Sequence[int]) -> None:
    """Recompute every summary of these units for the year, and forget their logged changes.

    The changes are deleted first, in the same transaction: a write committed before the summaries
    are computed is in them; one still uncommitted then leaves its log row behind (not visible to
    the delete), so the unit is recomputed again later. Never a missed change."""
    if not unit_ids:
        return
    YearLock.objects.get_or_create(school_year_id=school_year_id)
    with transaction.atomic():
        YearLock.objects.select_for_update().get(school_year_id=school_year_id)
        Change.objects.filter(school_year_id=school_year_id, unit_id__in=unit_ids).delete()
        for summariser in summarisers():
            summariser(school_year_id, unit_ids)


def refresh_all(*, school_year_id: int | None = None, batch: int = BATCH) -> int:
    """Recompute every unit with logged changes (of one year, or all years): after a demo load or a
    bulk load with the triggers off. Returns the number of units recomputed."""
    changed = Change.objects.all() if school_year_id is None else Change.objects.filter(school_year_id=school_year_id)
    pairs = sorted(set(changed.values_list("school_year_id", "unit_id")))
    years = sorted({y for y, _ in pairs})
    for year in years:
        for ids in batched([u for y, u in pairs if y == year], batch):
            refresh(school_year_id=year, unit_ids=ids)
    return len(pairs)


def ensure_fresh(
    *,
    unit: Unit,
    school_year: SchoolYear,
    units: QuerySet[Unit] | None = None,
    wait: bool = False,
) -> RefreshJob | None:
    """Make the summaries of `units` (default: every unit under `unit` in the year's tree) current.

    None when they are, after recomputing here the changed ones if they are at most
    `settings.SUMMARIES_INLINE_LIMIT` (or, with `wait`, however many); else the background job that
    brings them up to date (started now, or already running), for the page to show its progress."""
    units = units_under_on(unit=unit, day=school_year.ends_on) if units is None else units
    stale = stale_unit_ids(school_year=school_year, units=units)
    if not stale:
        return None
    if wait or len(stale) <= settings.SUMMARIES_INLINE_LIMIT:
        refresh(school_year_id=school_year.pk, unit_ids=stale)
        return None
    alive = timezone.now() - timedelta(seconds=settings.SUMMARIES_JOB_LEASE_SECONDS)
    job = (
        RefreshJob.objects.filter(unit=unit, school_year=school_year, status__in=RefreshJob.ACTIVE)
        .filter(updated_at__gte=alive)  # a job whose worker died stops counting (a new one starts)
        .first()
    )
    if job is None:
        from bdtx.summaries.tasks import summaries_refresh_task

        job = RefreshJob.objects.create(unit=unit, school_year=school_year, total=len(stale))
        summaries_refresh_task.enqueue(job.pk)
        job.refresh_from_db()
    return job if job.is_running else None


def job_run(*, job_id: int) -> None:
    """Recompute the changed units under the job's unit, batch by batch, counting progress."""
    job = RefreshJob.objects.select_related("unit", "school_year").get(pk=job_id)
    units = units_under_on(unit=job.unit, day=job.school_year.ends_on)
    stale = stale_unit_ids(school_year=job.school_year, units=units)
    mine = RefreshJob.objects.filter(pk=job.pk)
    mine.update(status=RefreshJob.Status.RUNNING, total=len(stale), done=0, updated_at=timezone.now())
    try:
        done = 0
        for ids in batched(stale, BATCH):
            refresh(school_year_id=job.school_year_id, unit_ids=ids)
            done += len(ids)
            mine.update(done=done, updated_at=timezone.now())  # progress, and a sign of life
    except Exception as exc:
        now = timezone.now()
        mine.update(status=RefreshJob.Status.FAILED, error=str(exc)[:2000], finished_at=now, updated_at=now)
        raise
    now = timezone.now()
    mine.update(status=RefreshJob.Status.DONE, finished_at=now, updated_at=now)
