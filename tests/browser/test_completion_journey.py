"""Issue 9's story from the practice work to the completed module, every step on the pages: a learner
hands in their practice work on a 360 px phone; the core teacher grades it (which is their mark); the
Sở imports the LMS's results file; the training institution marks its pass on the cohort's completion
page; the Sở sends the list to the managing offices; the commune office approves its list; the learner
sees the module completed on the phone. Interface strings through gettext (`vi`)."""

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter
from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.training.lms import lms_username
from bdtx.training.models import CompletionList, CompletionSignal, Enrolment, LmsResult
from conftest import World
from tests.browser.module4 import module4_cohort
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = pytest.mark.browser


def test_practice_graded_lms_imported_institution_marks_office_approves_learner_sees_it_completed(
    new_context, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, username)
        return page

    learner = world.people["teacher_a1"]
    year = school_year_current()
    cohort = module4_cohort(
        people=[learner], school=world.u("th_a1"), organiser=world.u("so_a"), name="Mô đun 4 — hoàn thành",
        starts_on=date(year.start_year, 10, 5), institution=world.u("cs_dt"),
    )  # fmt: skip
    e = Enrolment.objects.select_related("unit", "completion_list", "person", "cohort").get(
        cohort=cohort, person=learner
    )

    # the learner hands in the practice work from the landing page, on a phone
    phone = phone_page
    sign_in(phone, "teacher_a1")
    with phone.expect_navigation():
        phone.locator(f"#my-cohorts a[href='{reverse('training:practice', kwargs={'uuid': e.uuid})}']").click()
    phone.locator("#id_file").set_input_files(
        {"name": "bai-thu-hoach.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with phone.expect_navigation():
        phone.locator("#practice-form button[type=submit]").click()
    expect(phone.locator("#practice-list")).to_contain_text("bai-thu-hoach.pdf")

    # the core teacher grades it: 8 reaches the pass mark, so their mark is "passed"
    page = as_user("mentor_a1")
    page.goto(f"{live_server.url}{reverse('training:my_groups')}")
    with page.expect_navigation():
        page.locator(f"#my-members a[data-practice='{e.uuid}']").click()
    form = page.locator("form[id^=grade-form-]").first
    form.locator("#id_score").fill("8")
    form.locator("#id_comment").fill("Bài làm tốt, vận dụng được vào kế hoạch bài dạy.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert CompletionSignal.objects.get(enrolment=e, party="mentor").passed is True

    # the Sở imports the LMS's results file on the cohort's LMS page
    page = as_user("so_a")
    page.goto(f"{live_server.url}{reverse('training:lms', kwargs={'uuid': cohort.uuid})}")
    page.locator("#lms-import-form input[type=file]").set_input_files(
        {"name": "ket-qua-lms.xlsx", "mimeType": XLSX, "buffer": _lms_file(lms_username(learner))}
    )
    with page.expect_navigation():
        page.locator("#lms-import-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))
    expect(page.locator("#job-message")).to_have_class(re.compile("alert-success"))
    screenshot(page, "completion-lms-imported")
    assert LmsResult.objects.get(enrolment=e).passed is True

    # the institution sees what is missing and marks its pass
    page = as_user("institution")
    page.goto(f"{live_server.url}{reverse('training:completion', kwargs={'uuid': cohort.uuid})}")
    row = page.locator(f"#row-{e.uuid}")
    expect(row.locator("[data-party=institution] [data-signal=missing]")).to_be_visible()
    with page.expect_navigation():
        row.locator("[data-party=institution] button[value='1']").click()
    expect(page.locator(f"#row-{e.uuid}")).to_have_attribute("data-completed", "1")
    screenshot(page, "completion-institution-marks")

    # the Sở sends the lists: the commune office of th_a1 gets one
    page = as_user("so_a")
    page.goto(f"{live_server.url}{reverse('training:completion', kwargs={'uuid': cohort.uuid})}")
    with page.expect_navigation():
        page.locator("#send-lists").click()
    expect(page.locator("#completion-lists")).to_contain_text(world.u("xa_a1").name)
    expect(page.locator("#completion-lists [data-status=submitted]")).to_be_visible()

    # the office approves its list
    page = as_user("xa_a1")
    page.goto(f"{live_server.url}{reverse('training:completion_lists')}")
    with page.expect_navigation():
        page.locator("#lists-table a", has_text=cohort.name).click()
    expect(page.locator("#approve")).to_contain_text("1/1")
    screenshot(page, "completion-office-list")
    with page.expect_navigation():
        page.locator("#approve").click()
    expect(page.locator("#list-status")).to_have_attribute("data-status", "approved")
    assert CompletionList.objects.get(cohort=cohort).status == "approved"

    # the learner sees the module completed, on the phone
    phone.goto(f"{live_server.url}/")
    status = phone.locator("#my-cohorts [data-completion]")
    expect(status).to_have_attribute("data-completion", "approved")
    expect(status).to_contain_text(vi("Module completed"))
    screenshot(phone, "completion-learner-phone")


def _lms_file(username: str) -> bytes:
    """The LMS operator's results file: the columns the import page names."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for col, (head, value) in enumerate(
        [("Tên đăng nhập", username), ("Tiến độ", 100), ("Kết quả", "Đạt"), ("Điểm", 8.5)]
    ):
        sheet.write(0, col, head)
        sheet.write(1, col, value)
    book.close()
    return out.getvalue()
