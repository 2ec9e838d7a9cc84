"""Many changed units: the page shows a background job's progress instead of waiting, and the job's
progress page is scoped like every page."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.dashboards.tests.conftest import YEAR, build_town
from bdtx.summaries import services, tasks
from bdtx.summaries.models import Change, RefreshJob
from bdtx.summaries.services import ensure_fresh, job_run, refresh_all
from bdtx.training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world, settings):  # type: ignore[no-untyped-def]
    settings.SUMMARIES_INLINE_LIMIT = 2
    town = build_town(world, schools=4, people_per_school=1)
    refresh_all()
    Enrolment.objects.filter(unit__in=town.schools).update(completed=False)  # four schools changed
    return town


@pytest.fixture
def held(monkeypatch):  # type: ignore[no-untyped-def]
    """Jobs queued but not run (as when the worker is busy): what the page shows meanwhile."""
    enqueued: list[int] = []
    monkeypatch.setattr(tasks, "summaries_refresh_task", SimpleNamespace(enqueue=enqueued.append))
    return enqueued


def test_few_changed_units_are_recomputed_in_the_request(town, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUMMARIES_INLINE_LIMIT = 4
    assert ensure_fresh(unit=town.commune, school_year=SchoolYear.of(YEAR)) is None
    assert not Change.objects.exists()


def test_many_changed_units_start_one_job_and_the_page_shows_its_progress(town, held, login, world) -> None:  # type: ignore[no-untyped-def]
    year = SchoolYear.of(YEAR)
    job = ensure_fresh(unit=town.commune, school_year=year)
    assert job is not None and job.total == 4 and held == [job.pk]
    assert ensure_fresh(unit=town.commune, school_year=year) == job  # the same job, not a second
    page = login(world.users["so_a"]).get(reverse("dashboards:detail", args=[town.commune.uuid]), {"year": YEAR})
    assert page.status_code == 200
    assert reverse("summaries:progress", args=[job.uuid]).encode() in page.content
    job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.progress) == (RefreshJob.Status.DONE, 4, 100)
    assert not Change.objects.exists()
    polled = login(world.users["so_a"]).get(reverse("summaries:progress", args=[job.uuid]), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and polled["HX-Refresh"] == "true"  # the page reloads with its figures
    assert ensure_fresh(unit=town.commune, school_year=year) is None


def test_a_download_waits_for_the_figures(town, held, login, world) -> None:  # type: ignore[no-untyped-def]
    response = login(world.users["so_a"]).get(
        reverse("dashboards:xlsx", args=[town.commune.uuid]), {"year": YEAR, "table": "units"}
    )
    assert response.status_code == 200 and held == []
    assert not Change.objects.exists()


def test_the_progress_page_is_scoped(town, held, login, world) -> None:  # type: ignore[no-untyped-def]
    job = ensure_fresh(unit=town.commune, school_year=SchoolYear.of(YEAR))
    assert job is not None
    url = reverse("summaries:progress", args=[job.uuid])
    assert login(world.users["so_b"]).get(url).status_code == 404  # another province
    assert login(world.users["teacher_a1"]).get(url).status_code == 404  # a learner sees no unit
    assert login(world.users["so_a"]).get(url).status_code == 200


def test_the_progress_page_answers_403_inside_the_scope_without_the_permission(world, held, login, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SUMMARIES_INLINE_LIMIT = 0
    centre = world.u("cs_dt")
    Change.objects.create(school_year_id=YEAR, unit_id=centre.pk)
    job = ensure_fresh(unit=centre, school_year=SchoolYear.of(YEAR))
    assert job is not None
    url = reverse("summaries:progress", args=[job.uuid])
    assert login(world.users["institution"]).get(url).status_code == 403  # sees its unit, not reports


def test_a_failed_job_says_so(town, held, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    job = ensure_fresh(unit=town.commune, school_year=SchoolYear.of(YEAR))
    assert job is not None

    def broken(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "refresh", broken)
    with pytest.raises(RuntimeError):
        job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == RefreshJob.Status.FAILED and "disk full" in job.error
    assert Change.objects.count() >= 4  # nothing consumed: the next read starts again


def test_a_job_whose_worker_died_is_replaced(town, held) -> None:  # type: ignore[no-untyped-def]
    year = SchoolYear.of(YEAR)
    dead = ensure_fresh(unit=town.commune, school_year=year)
    assert dead is not None
    RefreshJob.objects.filter(pk=dead.pk).update(
        status=RefreshJob.Status.RUNNING, updated_at=timezone.now() - timedelta(hours=1)
    )
    job = ensure_fresh(unit=town.commune, school_year=year)
    assert job is not None and job.pk != dead.pk and held == [dead.pk, job.pk]
