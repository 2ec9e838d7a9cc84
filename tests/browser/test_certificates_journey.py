"""The commune office issues its school's certificates of completion in a real browser: the list,
the bulk issuance with its progress bar and files, one certificate, revoking it; the teacher
downloads her own; anyone verifies it on the public page, without signing in.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.certificates.models import Certificate, IssueJob
from bdtx.certificates.tests.conftest import YEAR, recognised, teachers
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_an_office_issues_certificates_and_anyone_verifies_one(
    page: Page, new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    school = world.u("th_a1")
    recognised(world.people["teacher_a1"], school, by=world.u("xa_a1"))
    teachers(school, 2, by=world.u("xa_a1"))

    # 1. The office's list for the year: three recognised results without a certificate.
    sign_in(page, "xa_a1")
    page.goto(f"{live_server.url}{reverse('certificates:list')}?unit={school.uuid}&year={YEAR}")
    expect(page.locator("h1")).to_have_text(vi("Certificates of completion"))
    expect(page.locator("#issuable")).to_contain_text("3")
    screenshot(page, "certificates-1-list")

    # 2. Issue: the job page shows the bar at 100 % and the two downloads.
    with page.expect_navigation():
        page.locator("#issue-start").click()
    job = IssueJob.objects.get()
    expect(page.locator("#job-progress [data-bar-width]")).to_have_attribute("data-bar-width", "100")
    with page.expect_download() as pdf:
        page.locator("#download-pdf").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    expect(page.locator("#download-zip")).to_have_attribute("href", reverse("certificates:job_zip", args=[job.uuid]))
    screenshot(page, "certificates-2-job")
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3]

    # 3. The teacher's certificate: detail, then revoke with a reason.
    cert = Certificate.objects.get(person=world.people["teacher_a1"])
    page.goto(f"{live_server.url}{reverse('certificates:list')}?unit={school.uuid}&year={YEAR}&q=Đào")
    with page.expect_navigation():
        page.locator("#certificates tbody a").first.click()
    expect(page.locator("#certificate-facts")).to_contain_text("Nguyễn Thị Đào")

    # 4. The teacher downloads her own.
    teacher = new_context().new_page()
    sign_in(teacher, "teacher_a1")
    teacher.goto(f"{live_server.url}{reverse('certificates:mine')}")
    with teacher.expect_download() as own:
        teacher.locator(f"a[href='{reverse('certificates:pdf', args=[cert.uuid])}']").click()
    assert Path(own.value.path()).read_bytes().startswith(b"%PDF")

    # 5. Anyone verifies it without signing in; once revoked, the page says so.
    public = new_context().new_page()
    public.goto(cert.snapshot["verification_url"].replace("http://127.0.0.1:8000", live_server.url))
    expect(public.locator("#verify-status")).to_contain_text(vi("Valid"))
    expect(public.locator("#verify-facts")).to_contain_text(cert.number)
    screenshot(public, "certificates-3-verify")
    page.locator("#id_reason").fill("Cấp nhầm, sẽ cấp lại")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#revoke").click()
    expect(page.locator("#certificate-status")).to_contain_text(vi("Revoked"))
    public.reload()
    expect(public.locator("#verify-status")).to_contain_text(vi("Revoked"))
    screenshot(public, "certificates-4-revoked")
