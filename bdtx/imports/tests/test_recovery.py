"""The worker is supervised and jobs recover: a job whose worker died is marked failed once its lease
runs out (on its page, by the next task, by the timer command), and the user can try it again."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.importing import base as importing
from bdtx.core.models import AuditLog
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports import services
from bdtx.imports.models import ImportJob
from bdtx.people.models import Person
from bdtx.people.tests.staff_files import clean_staff_file, messy_staff_file

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What SIGKILL does to a worker, as far as the job can tell: the work stops, nothing is recorded."""


def _killed_mid_check(upload, monkeypatch, settings, content=None):  # type: ignore[no-untyped-def]
    """A job whose worker died while checking it: left at "Checking" with its lease running."""
    importer = importing.get("staff")
    check_row = type(importer).check_row
    calls = {"n": 0}

    def dies(self, raw, ctx):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise WorkerKilled
        return check_row(self, raw, ctx)

    monkeypatch.setattr(type(importer), "check_row", dies)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 0
    job = upload(content or clean_staff_file())
    with pytest.raises(WorkerKilled):
        services.import_job_validate(job_id=job.pk)
    monkeypatch.setattr(type(importer), "check_row", check_row)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    job.refresh_from_db()
    return job


def _age(job: ImportJob, seconds: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


def test_a_job_whose_worker_died_keeps_running_only_until_its_lease_runs_out(upload, monkeypatch, settings):
    job = _killed_mid_check(upload, monkeypatch, settings)
    assert job.status == ImportJob.Status.VALIDATING and job.lease and job.heartbeat_at
    assert services.import_jobs_expire() == 0  # the lease still runs
    _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    assert services.import_jobs_expire() == 1
    job.refresh_from_db()
    assert (job.status, job.lease) == (ImportJob.Status.FAILED, None) and job.can_retry
    assert job.message.startswith("Việc nhập dừng ở 0 %: tiến trình xử lý nền không phản hồi trong 10 phút")
    assert "Chưa có dữ liệu nào được ghi" in job.message
    entry = AuditLog.objects.get(object_uuid=job.uuid, action="import_job.abandon")
    assert (entry.actor, entry.source) == (None, AuditLog.Source.SYSTEM)


def test_its_page_shows_it_failed_with_the_retry_button_instead_of_a_bar_stuck_at_60(
    world, upload, login, monkeypatch, settings
):
    job = _killed_mid_check(upload, monkeypatch, settings)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING, progress=60)
    client = login(world.users["principal_a1"])
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Đang nhập" in html and 'id="import-retry"' not in html  # its lease still runs
    _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    progress = client.get(reverse("imports:progress", kwargs={"uuid": job.uuid}), headers={"HX-Request": "true"})
    assert progress["HX-Refresh"] == "true"  # the polling bar stops and reloads the page
    html = client.get(job.get_absolute_url()).content.decode()
    assert "Việc nhập dừng ở 60 %" in html and 'id="import-retry"' in html
    assert reverse("imports:retry", kwargs={"uuid": job.uuid}) in html


def test_retrying_checks_the_kept_file_again_and_writes_it(world, upload, login, monkeypatch, settings):
    job = _killed_mid_check(upload, monkeypatch, settings)
    _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    services.import_jobs_expire()
    people = Person.objects.count()
    client = login(world.users["principal_a1"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("imports:retry", kwargs={"uuid": job.uuid}))
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.created_count, job.message) == (ImportJob.Status.DONE, 3, 3, "")
    assert Person.objects.count() == people + 3
    actions = list(AuditLog.objects.filter(object_uuid=job.uuid).order_by("id").values_list("action", flat=True))
    assert actions == ["import.upload", "import_job.abandon", "import_job.retry", "import.staff"]


def test_retrying_a_file_with_errors_shows_its_problems_again(upload, monkeypatch, settings, scope_of):
    job = _killed_mid_check(upload, monkeypatch, settings, content=messy_staff_file())
    _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    services.import_jobs_expire()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_job_retry(scope=scope_of("principal_a1"), job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATED and job.error_count == 8 and job.can_confirm


def test_only_a_failed_job_can_be_retried_and_only_by_who_may_import_it(world, upload, scope_of, client, login):
    job = upload(clean_staff_file())
    with pytest.raises(ValidationError):
        services.import_job_retry(scope=scope_of("principal_a1"), job=job)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, retryable=True)
    url = reverse("imports:retry", kwargs={"uuid": job.uuid})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert login(world.users["principal_b1"]).post(url).status_code == 404  # outside the job's unit
    assert login(world.users["ministry"]).post(url).status_code == 403  # sees it, may not import there
    with pytest.raises(PermissionDenied):
        services.import_job_retry(scope=scope_of("ministry"), job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_worker_that_only_stalled_stops_when_its_job_was_given_up(upload, monkeypatch, settings):
    """Marked failed while it still runs, the stalled worker finds its lease gone at its next report:
    it stops, writes nothing and leaves the job as marked."""
    importer = importing.get("staff")
    check_file = type(importer).check_file

    def stalls(self, rows, ctx):  # type: ignore[no-untyped-def]
        check_file(self, rows, ctx)
        job = ImportJob.objects.get()
        _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
        assert services.import_jobs_expire() == 1  # the page of the job, meanwhile

    monkeypatch.setattr(type(importer), "check_file", stalls)
    people = Person.objects.count()
    job = upload(clean_staff_file())
    assert job.status == ImportJob.Status.FAILED and "Việc nhập dừng" in job.message
    assert Person.objects.count() == people and job.created_count == 0


def test_the_next_task_and_the_timer_command_clean_up_what_a_dead_worker_left(upload, monkeypatch, settings):
    dead = _killed_mid_check(upload, monkeypatch, settings)
    _age(dead, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    upload(clean_staff_file(phone="0912999999"))  # the next import: its task starts by cleaning up
    dead.refresh_from_db()
    assert dead.status == ImportJob.Status.FAILED
    other = _killed_mid_check(upload, monkeypatch, settings)
    _age(other, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    call_command("import_jobs_expire", verbosity=0)
    other.refresh_from_db()
    assert other.status == ImportJob.Status.FAILED


def test_a_job_waiting_in_the_queue_counts_against_its_lease_too(world, upload, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 0
    job = upload(clean_staff_file())
    assert job.status == ImportJob.Status.UPLOADED and job.heartbeat_at
    assert services.import_jobs_expire() == 0
    _age(job, settings.IMPORT_JOB_LEASE_SECONDS + 1)
    assert services.import_jobs_expire() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    services.import_job_validate(job_id=job.pk)  # the old task, if a worker ever runs it: nothing happens
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_confirmed_run_is_taken_by_one_worker_only(upload, confirm, scope_of):
    job = upload(messy_staff_file())
    job = confirm(job, only_valid=True)
    assert job.status == ImportJob.Status.DONE and job.lease is None
    again = services.import_job_run(job_id=job.pk, only_valid=True)  # a duplicate task
    assert again.status == ImportJob.Status.DONE and again.created_count == job.created_count
    assert scope_for_user(job.created_by)  # the uploader still may


def test_a_file_refused_for_what_it_holds_offers_no_retry_but_a_corrected_upload(world, upload, login, scope_of):
    rows = [["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Họ và tên"], [1, "An", "Nữ", "", "An"]]
    job = upload(build_xlsx(rows))
    assert job.status == ImportJob.Status.FAILED and not job.can_retry
    html = login(world.users["principal_a1"]).get(job.get_absolute_url()).content.decode()
    assert 'id="import-retry"' not in html and reverse("imports:new", args=["staff"]) in html
    with pytest.raises(ValidationError):
        services.import_job_retry(scope=scope_of("principal_a1"), job=job)


def test_an_unexpected_error_may_be_tried_again(upload, monkeypatch, scope_of):
    importer = importing.get("staff")
    write = type(importer).write

    def locked(self, job, records, *, scope):  # type: ignore[no-untyped-def]
        raise RuntimeError("database is locked")

    monkeypatch.setattr(type(importer), "write", locked)
    job = upload(clean_staff_file())
    assert job.status == ImportJob.Status.FAILED and job.can_retry
    monkeypatch.setattr(type(importer), "write", write)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.import_job_retry(scope=scope_of("principal_a1"), job=job)
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
