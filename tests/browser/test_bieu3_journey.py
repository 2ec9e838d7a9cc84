"""Issue 11, Biểu 3 on the pages: a commune office opens its training results reports from the menu,
creates the report on the first term for the modules of the year, reads the figures computed from
its schools' data, types the text sections, saves them in place (htmx: the page is not loaded again,
it says when they were saved), and downloads the Word document — which holds the figures and the
texts as typed.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`)."""

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import Page, expect

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.bieu3.models import Bieu3Report
from bdtx.bieu3.tests.world import build
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import UserFactory
from conftest import PASSWORD, World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_a_commune_office_fills_the_text_sections_of_bieu3_and_downloads_it(
    page: Page, live_server, world: World, sign_in, screenshot: Shot, tmp_path: Path
) -> None:
    w = build(world)
    office = world.u("xa_a2")
    user = UserFactory(username="xa_tay", password=PASSWORD)
    role_assign(scope=SYSTEM, user=user, unit=office, role=Role.OFFICE_STAFF)
    sign_in(page, "xa_tay")

    # the menu leads to the office's reports
    expect(page.locator(f'nav a[href="{reverse("bieu3:list")}"]')).to_have_count(1)
    page.goto(reverse("bieu3:list") + f"?year={w.year.pk}")
    expect(page.locator("h1")).to_contain_text(office.name)
    expect(page.locator("#bieu3-table tbody tr")).to_have_count(1)  # the world's draft of xa_a2
    page.locator("#bieu3-new").click()

    # a new report: the first term, the modules of the year (both chosen by default)
    page.locator("#id_period_from").fill("01/09/2026")
    page.locator("#id_period_to").fill("31/12/2026")
    expect(page.get_by_label("GV4: Mô đun 4")).to_be_checked()
    expect(page.get_by_label("GV5: Mô đun 5")).to_be_checked()
    screenshot(page, "bieu3-new")
    page.locator("#bieu3-create-submit").click()
    expect(page.locator(".alert-success")).to_contain_text(
        vi("The report is created: type its text sections, then download it.")
    )
    report = Bieu3Report.objects.get(unit=office, school_year=w.year, modules=w.gv4)

    # the figures computed from the data: 2.1 of GV4 counted by hand (bdtx/bieu3/tests/world.py)
    first = page.locator("#figure-2\\.1 tbody tr").first
    expect(first).to_contain_text("GV4: Mô đun 4")
    expect(first).to_contain_text("66,7%")
    expect(page.locator("#survey-responses")).to_contain_text("5/9")

    # the office types its sections and saves
    page.locator("#id_number").fill("45/BC-UBND")
    page.locator("#id_report_date").fill("20/12/2026")
    page.locator("#id_signer_title").fill("Phó Chủ tịch")
    page.locator("#id_signer_name").fill("Nông Văn Bình")
    page.locator("#id_assess_general").fill("Đợt bồi dưỡng đạt yêu cầu; học viên tích cực.")
    page.locator("#id_proposals").fill("Bổ sung video minh họa.\nTăng thời lượng thực hành.")
    page.locator("#id_recommendations").fill("Tiếp tục tập huấn cốt cán <về đánh giá> & phản hồi.")
    # saved in place: the same document stays (a mark set on it survives), and says when it was saved
    page.evaluate("() => { window.bieu3SamePage = true; }")
    page.locator("#bieu3-save").click()
    saved_at = re.escape(vi("Saved at %(time)s") % {"time": "HH:MM"}).replace("HH:MM", r"\d\d:\d\d")
    expect(page.locator("#bieu3-save-status")).to_have_text(re.compile(saved_at))
    assert page.evaluate("() => window.bieu3SamePage === true")
    expect(page.locator(".alert-success")).not_to_contain_text(vi("The text sections are saved."))  # no redirect
    expect(page.locator("#id_recommendations")).to_have_value("Tiếp tục tập huấn cốt cán <về đánh giá> & phản hồi.")
    screenshot(page, "bieu3-report")
    report.refresh_from_db()
    assert report.number == "45/BC-UBND" and report.proposals.endswith("Tăng thời lượng thực hành.")

    # the Word document: the letterhead, the figures and the texts as typed
    with page.expect_download() as info:
        page.locator("#bieu3-docx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.suffix == ".docx"
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 45/BC-UBND" in text
    assert "ỦY BAN NHÂN DÂN XÃ TÂY" in text and "PHÓ CHỦ TỊCH" in text and "Nông Văn Bình" in text
    assert "Đợt bồi dưỡng đạt yêu cầu; học viên tích cực." in text
    assert "Tiếp tục tập huấn cốt cán <về đánh giá> & phản hồi." in text
    assert "GV4: Mô đun 4" in text and "66,7%" in text and "5/9 học viên trả lời phiếu hỏi" in text

    # the world's older draft is not wanted: deleted after confirming, the list keeps the new report
    draft = Bieu3Report.objects.exclude(pk=report.pk).get(unit=office, school_year=w.year)
    page.goto(reverse("bieu3:detail", args=[draft.uuid]))
    with page.expect_navigation():
        page.locator("#bieu3-delete").click()
    expect(page.locator("h1")).to_have_text(vi("Delete the report?"))
    screenshot(page, "bieu3-delete")
    with page.expect_navigation():
        page.locator("#bieu3-delete-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text(vi("The Biểu 3 report is deleted."))
    expect(page.locator("#bieu3-table tbody tr")).to_have_count(1)
    assert list(Bieu3Report.objects.filter(unit=office, school_year=w.year)) == [report]
