"""Run import jobs in tests the way the upload page does: the check (and the write) run right after
the request's commit, which the test transaction never reaches, so the callbacks are run here."""

from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.selectors import school_year_current
from bdtx.imports import services
from bdtx.imports.models import ImportJob
from bdtx.organisations.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def run_upload(
    *, kind: str, content: bytes, user: User, unit: Unit, filename: str = "danh sach.xlsx", **kw: Any
) -> ImportJob:
    """Upload `content` as `user` and return the job after its check (and write) ran."""
    kw.setdefault("school_year", school_year_current())
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = services.import_job_create(
            scope=scope_for_user(user),
            kind=kind,
            unit=unit,
            upload=SimpleUploadedFile(filename, content, content_type=XLSX),
            **kw,
        )
    job.refresh_from_db()
    return job


def run_confirm(job: ImportJob, *, user: User, only_valid: bool) -> ImportJob:
    """Confirm a checked job as `user` and return it after the write ran."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_job_confirm(scope=scope_for_user(user), job=job, only_valid=only_valid)
    job.refresh_from_db()
    return job
