"""Issue 11's story in one sequence, for one commune office (UBND xã Tây) and its school:

the office opens its dashboard and drills down to its school; it writes Biểu 3 on the first term
(the figures computed from its schools' training, its text sections typed) and downloads it; the
school files its yearly results report, the office returns it with a comment, the school files it
again, the office accepts it and files its own report — the sum of its school's — to the Sở; the
Sở's board shows the commune's report filed. Each part is also a journey of its own, in more detail
(test_dashboards_journey, test_bieu3_journey, test_yearreports_journey).

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`)."""

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from playwright.sync_api import Page, expect

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.bieu3.tests.world import build
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import UserFactory
from bdtx.yearreports.models import YearReport
from conftest import PASSWORD, World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_a_commune_reports_its_year_from_the_dashboard_to_the_so(
    new_context, live_server, world: World, sign_in, screenshot: Shot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    w = build(world)  # a term of training in xã Tây, counted by hand in bdtx/bieu3/tests/world.py
    commune, school = world.u("xa_a2"), world.u("thcs_a2")
    role_assign(
        scope=SYSTEM, user=UserFactory(username="xa_tay", password=PASSWORD), unit=commune, role=Role.OFFICE_STAFF
    )
    year = school_year_current()

    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(page, username)
        return page

    # 1. the office's dashboard, drilled down to its school
    office = as_user("xa_tay")
    office.get_by_role("button", name="Chương trình bồi dưỡng").click()
    office.get_by_role("link", name="Bảng số liệu").first.click()
    expect(office.locator("h1")).to_contain_text(commune.name)
    office.wait_for_function("() => window.Chart !== undefined")
    units = office.locator("#table-units")
    units.get_by_role("link", name=school.name).click()
    expect(office.locator("h1")).to_contain_text(school.name)
    expect(office.locator("#table-people")).to_contain_text(world.people["teacher_a2"].full_name)
    screenshot(office, "reports-1-dashboard-school")

    # 2. Biểu 3 on the first term: the figures from the data, the texts typed, the Word file
    office.goto(f"{live_server.url}{reverse('bieu3:list')}?year={w.year.pk}")
    office.locator("#bieu3-new").click()
    office.locator("#id_period_from").fill("01/09/2026")
    office.locator("#id_period_to").fill("31/12/2026")
    office.locator("#bieu3-create-submit").click()
    first = office.locator("#figure-2\\.1 tbody tr").first
    expect(first).to_contain_text("GV4: Mô đun 4")
    expect(first).to_contain_text("66,7%")
    office.locator("#id_number").fill("46/BC-UBND")
    office.locator("#id_assess_general").fill("Học viên tham gia đầy đủ, hoàn thành đúng hạn.")
    office.locator("#bieu3-save").click()  # saved in place (htmx)
    expect(office.locator("#bieu3-saved")).to_contain_text(vi("Saved at %(time)s") % {"time": ""})
    screenshot(office, "reports-2-bieu3")
    with office.expect_download() as info:
        office.locator("#bieu3-docx").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "Số: 46/BC-UBND" in text and "Học viên tham gia đầy đủ, hoàn thành đúng hạn." in text and "66,7%" in text

    # 3. the school files its yearly results report; the office returns it with a comment
    school_report = f"{live_server.url}{reverse('yearreports:report', args=[school.uuid, year.pk])}"
    principal = as_user("principal_a2")
    principal.goto(school_report)
    with principal.expect_navigation():
        principal.locator("#file-form button").click()
    expect(principal.locator("#report-status")).to_contain_text(vi("Filed"))

    office.goto(f"{live_server.url}{reverse('yearreports:board')}")
    expect(office.locator("#board")).to_contain_text(school.name)
    with office.expect_navigation():
        office.locator("#board a", has_text=vi("Review")).click()
    office.locator("#id_decision").select_option("return")
    office.locator("#id_comment").fill("Ghi rõ số cán bộ quản lý chưa có kết quả.")
    with office.expect_navigation():
        office.locator("#decide-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Returned for changes"))

    # 4. the school sees why and files again; the office accepts and files its own to the Sở
    principal.goto(school_report)
    expect(principal.locator("#report-status")).to_contain_text("Ghi rõ số cán bộ quản lý chưa có kết quả.")
    with principal.expect_navigation():
        principal.locator("#file-form button").click()
    office.goto(school_report)
    office.locator("#id_decision").select_option("accept")
    with office.expect_navigation():
        office.locator("#decide-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Accepted"))
    office.goto(f"{live_server.url}{reverse('yearreports:report', args=[commune.uuid, year.pk])}")
    with office.expect_navigation():
        office.locator("#file-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Filed"))
    screenshot(office, "reports-3-commune-filed")
    filed = YearReport.objects.get(unit=commune, school_year=year)
    assert filed.figures == YearReport.objects.get(unit=school, school_year=year).figures

    # 5. the Sở's board: the commune's report filed
    so = as_user("so_a")
    so.goto(f"{live_server.url}{reverse('yearreports:board')}")
    with so.expect_navigation():
        so.locator("#status-filter a", has_text=vi("Filed")).first.click()
    expect(so.locator("#board")).to_contain_text(commune.name)
    screenshot(so, "reports-4-so-board")
