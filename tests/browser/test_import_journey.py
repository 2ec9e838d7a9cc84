"""Importing a staff list in a real browser: the error table, writing the valid rows, the progress bar."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bdtx.imports.models import ImportJob
from bdtx.imports.services import import_job_validate
from bdtx.people.tests.staff_files import MESSY_ERRORS, MESSY_VALID_ROWS, clean_staff_file, messy_staff_file
from conftest import PASSWORD

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "screenshots"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def upload(page: Page, base: str, content: bytes, name: str, *, screenshot: str = "") -> None:
    page.goto(f"{base}/imports/")
    page.locator("a[href='/imports/new/staff/']").first.click()
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    if screenshot:
        shot(page, screenshot)
    with page.expect_navigation():
        page.locator("#upload-button").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))


def progress(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("#job-progress .progress")


def test_a_principal_uploads_a_file_with_errors_sees_them_and_imports_only_the_valid_rows(
    page: Page, live_server, world
) -> None:
    log_in(page, live_server.url, "principal_a1")
    upload(page, live_server.url, messy_staff_file(), "danh-sach-loi.xlsx", screenshot="import-upload-form")

    rows = page.locator("#error-table tbody tr")
    expect(rows).to_have_count(len(MESSY_ERRORS))
    for row, col, code in MESSY_ERRORS:
        expect(page.locator(f'#error-table tr[data-row="{row}"][data-col="{col}"][data-code="{code}"]')).to_have_count(
            1
        )
    expect(progress(page)).to_have_attribute("aria-valuenow", "100")
    shot(page, "import-errors")

    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "import-errors-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    with page.expect_navigation():
        page.locator("#import-valid").click()
    expect(progress(page)).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-message")).to_have_class(re.compile("alert-success"))
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, len(MESSY_VALID_ROWS))
    shot(page, "import-valid-rows-done")


def test_a_clean_file_is_imported_and_the_progress_bar_reaches_100(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "principal_a1")
    upload(page, live_server.url, clean_staff_file(), "danh-sach.xlsx")

    expect(progress(page)).to_have_attribute("aria-valuenow", "100")
    expect(progress(page).locator(".progress-bar")).to_have_text("100%")
    expect(page.locator("#error-table")).to_have_count(0)
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    shot(page, "import-clean-done")


def test_a_background_import_shows_its_progress_while_the_worker_runs(page: Page, live_server, world, settings) -> None:
    # Queue the check instead of running it, as the database worker of `make run` would.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.IMPORT_BACKGROUND_ROWS = 0
    log_in(page, live_server.url, "principal_a1")
    upload(page, live_server.url, clean_staff_file(), "danh-sach-lon.xlsx")
    job = ImportJob.objects.get()
    expect(progress(page)).to_have_attribute("aria-valuenow", "0")

    # The worker reports progress; the page, polling every second, follows it.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.VALIDATING, progress=42)
    expect(progress(page)).to_have_attribute("aria-valuenow", "42", timeout=5000)
    expect(progress(page).locator(".progress-bar")).to_have_text("42%")
    shot(page, "import-progress-42")

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.UPLOADED, progress=0)
    import_job_validate(job_id=job.pk)
    expect(progress(page)).to_have_attribute("aria-valuenow", "100", timeout=5000)
    expect(page.locator("#job-message")).to_have_class(re.compile("alert-success"), timeout=5000)
    shot(page, "import-progress-done")
