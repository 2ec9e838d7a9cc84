"""Fixtures of the import tests: upload a staff file as a world user, confirm a job, watch the queue."""

import pytest
from django.tasks.signals import task_enqueued

from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload


@pytest.fixture
def upload(world):  # type: ignore[no-untyped-def]
    """upload(content, user=…, unit=…, kind="staff") → the job after its tasks ran (the test backend is immediate)."""

    def _upload(
        content: bytes, *, user: str = "principal_a1", unit: str = "th_a1", kind: str = "staff", **kw: object
    ) -> ImportJob:
        return run_upload(kind=kind, content=content, user=world.users[user], unit=world.u(unit), **kw)

    return _upload


@pytest.fixture
def confirm(world):  # type: ignore[no-untyped-def]
    def _confirm(job: ImportJob, *, only_valid: bool, user: str = "principal_a1") -> ImportJob:
        return run_confirm(job, user=world.users[user], only_valid=only_valid)

    return _confirm


@pytest.fixture
def enqueued():  # type: ignore[no-untyped-def]
    names: list[str] = []

    def receiver(sender, task_result, **kwargs):  # type: ignore[no-untyped-def]
        names.append(task_result.task.name)

    task_enqueued.connect(receiver)
    yield names
    task_enqueued.disconnect(receiver)
