"""Fixtures of the import tests: upload a file as a world user, confirm a job, watch the queue."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks.signals import task_enqueued

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.selectors import school_year_current
from bdtx.imports import services
from bdtx.imports.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def upload(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """upload(content, user=…, unit=…) → the job after its tasks ran (the test backend is immediate)."""

    def _upload(content: bytes, *, user: str = "principal_a1", unit: str = "th_a1", **kw: object) -> ImportJob:
        u = world.users[user]
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_job_create(
                actor_id=u.pk,
                scope=scope_for_user(u),
                unit=world.u(unit),
                school_year=school_year_current(),
                upload=SimpleUploadedFile("danh sach.xlsx", content, content_type=XLSX),
                **kw,
            )
        job.refresh_from_db()
        return job

    return _upload


@pytest.fixture
def confirm(world, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    def _confirm(job: ImportJob, *, only_valid: bool, user: str = "principal_a1") -> ImportJob:
        u = world.users[user]
        with django_capture_on_commit_callbacks(execute=True):
            services.import_job_confirm(actor_id=u.pk, scope=scope_for_user(u), job=job, only_valid=only_valid)
        job.refresh_from_db()
        return job

    return _confirm


@pytest.fixture
def enqueued():  # type: ignore[no-untyped-def]
    names: list[str] = []

    def receiver(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        names.append(task_result.task.name)

    task_enqueued.connect(receiver)
    yield names
    task_enqueued.disconnect(receiver)
