"""Issue 10's whole story on the pages, from the module completed to the certificate anyone can check:
the principal computes the school's year results and proposes them; the commune office recognises
them; it issues the certificates in bulk and watches the job's progress bar reach 100 %; the teacher
downloads hers on a 360 px phone; the QR code printed on it — read from the PDF's picture with
zbarimg, as a phone's camera would — opens the public verification page, without signing in; the
office revokes the certificate and the same page says so, with the date.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`)."""

import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.certificates.models import Certificate
from bdtx.core.scope import SYSTEM
from bdtx.people.models import Person
from bdtx.results.models import ResultStatus, YearResult
from bdtx.training.completion import signal_write
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import AssessmentComponent, Assessor, Enrolment, Score, ScoreSource, SignalSource
from bdtx.training.services import enrolment_bulk_from_plans, groups_split
from bdtx.training.tests import conftest as training_fixtures
from bdtx.training.tests.conftest import Mods, approve, cohort, staff
from conftest import World
from tests.browser.text import vi

mods = training_fixtures.mods  # the test catalog's modules (a fixture)

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def _completed(world: World, mods: Mods) -> list[Person]:
    """The teacher of th_a1 and two colleagues completed module GV4 of their approved plans: the LMS's
    pass, the core teacher's and the institution's marks, a practice score of 8."""
    people = [world.people["teacher_a1"], *staff(world.u("th_a1"), 2)]
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() - timedelta(days=40))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    practice = AssessmentComponent.objects.get(cohort=c, kind="practice")
    for e in Enrolment.objects.filter(cohort=c).select_related("cohort", "unit", "group", "completion_list", "person"):
        lms_results_import(
            scope=SYSTEM,
            cohort=c,
            results=[ResultIn(e.pk, timezone.now(), "t", progress=100, passed=True, score=Decimal("7.5"))],
        )
        for party in (Assessor.MENTOR, Assessor.INSTITUTION):
            signal_write(scope=SYSTEM, enrolment=e, party=party, passed=True, source=SignalSource.MANUAL)
        Score.objects.create(
            enrolment=e, component=practice, value=Decimal(8), source=ScoreSource.GRID, entered_at=timezone.now()
        )
    return people


def _qr_url(pdf: Path) -> str:
    """The URL the certificate's QR code holds: the first page drawn at 150 dpi, read by zbarimg."""
    png = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)], check=True
    )
    out = subprocess.run(["zbarimg", "--quiet", "--raw", f"{png}.png"], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def test_proposed_recognised_issued_downloaded_on_a_phone_verified_by_its_qr_code_then_revoked(
    new_context, phone_page: Page, live_server, world: World, mods: Mods, sign_in, screenshot: Shot, tmp_path: Path
) -> None:
    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, username)
        page.on("dialog", lambda d: d.accept())
        return page

    people = _completed(world, mods)
    school = world.u("th_a1")
    year = mods.year
    school_url = f"{live_server.url}{reverse('results:unit', kwargs={'uuid': school.uuid})}?year={year.pk}"

    # 1. The principal computes the school's results (all three completed the plan) and proposes them.
    principal = as_user("principal_a1")
    principal.goto(school_url)
    with principal.expect_navigation():
        principal.locator("#compute").click()
    expect(principal.locator("#count-total")).to_have_text(str(len(people)))
    expect(principal.locator("#results-table")).to_contain_text("Hoàn thành kế hoạch BDTX")
    with principal.expect_navigation():
        principal.locator("#propose").click()
    expect(principal.locator("#count-proposed")).to_have_text(str(len(people)))

    # 2. The commune office finds the school waiting and recognises its list.
    office = as_user("xa_a1")
    office.goto(f"{live_server.url}{reverse('results:recognise')}?year={year.pk}")
    with office.expect_navigation():
        office.locator("#schools-table a", has_text=school.name).click()
    with office.expect_navigation():
        office.locator("#recognise").click()
    expect(office.locator("#count-recognised")).to_have_text(str(len(people)))
    assert set(YearResult.objects.values_list("status", flat=True)) == {ResultStatus.RECOGNISED}
    screenshot(office, "year-results-1-recognised")

    # 3. It issues the certificates in bulk: the job's progress bar reaches 100 %.
    office.goto(f"{live_server.url}{reverse('certificates:list')}?unit={school.uuid}&year={year.pk}")
    expect(office.locator("#issuable")).to_contain_text(str(len(people)))
    with office.expect_navigation():
        office.locator("#issue-start").click()
    expect(office.locator("#job-progress [data-bar-width]")).to_have_attribute("data-bar-width", "100")
    expect(office.locator("#download-pdf")).to_be_visible()
    screenshot(office, "year-results-2-issued")
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3]

    # 4. The teacher downloads hers on a phone.
    cert = Certificate.objects.get(person=world.people["teacher_a1"])
    phone = phone_page
    sign_in(phone, "teacher_a1")
    phone.goto(f"{live_server.url}{reverse('certificates:mine')}")
    screenshot(phone, "year-results-3-phone")
    with phone.expect_download() as download:
        phone.locator(f"a[href='{reverse('certificates:pdf', args=[cert.uuid])}']").click()
    pdf = tmp_path / "giay-chung-nhan.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # 5. The QR code printed on it opens the public verification page, for anyone.
    url = _qr_url(pdf)
    assert url == f"{live_server.url}{reverse('certificates:verify', args=[cert.verify_token])}"
    public = new_context(viewport={"width": 360, "height": 740}).new_page()
    public.goto(url)
    expect(public.locator("#verify-status")).to_contain_text(vi("Valid"))
    expect(public.locator("#verify-facts")).to_contain_text(cert.number)
    expect(public.locator("#verify-facts")).to_contain_text(world.people["teacher_a1"].full_name)
    screenshot(public, "year-results-4-verified")

    # 6. The office revokes it with a reason; the verification page says so, with the date.
    office.goto(f"{live_server.url}{reverse('certificates:detail', args=[cert.uuid])}")
    office.locator("#id_reason").fill("Cấp nhầm năm học, sẽ cấp lại")
    with office.expect_navigation():
        office.locator("#revoke").click()
    expect(office.locator("#certificate-status")).to_contain_text(vi("Revoked"))
    public.reload()
    expect(public.locator("#verify-status")).to_contain_text(vi("Revoked"))
    expect(public.locator("body")).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    screenshot(public, "year-results-5-revoked")
