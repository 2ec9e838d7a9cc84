"""The yearly results report up the tree (issue 11) on the pages: the principal files the school's
report; the commune office returns it with a comment; the principal files it again; the office
accepts it, then files its own report — the sum of its schools' — to the Sở; the Sở's board shows
the commune's report filed and the units that have filed nothing; the ministry sees the commune's
report with its small group cells as "<5", the Sở every figure.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.yearreports.models import YearReport
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_a_school_files_the_office_returns_then_accepts_and_files_to_the_so(
    new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:  # type: ignore[no-untyped-def]
    year = school_year_current()
    school, commune = world.u("th_a1"), world.u("xa_a1")
    school_report = f"{live_server.url}{reverse('yearreports:report', args=[school.uuid, year.pk])}"

    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1366, "height": 900}).new_page()
        sign_in(page, username)
        return page

    principal = as_user("principal_a1")
    principal.goto(f"{live_server.url}{reverse('yearreports:board')}")
    with principal.expect_navigation():
        principal.locator("#own-report a").click()
    expect(principal.locator("#outcome")).to_contain_text(vi("All staff"))
    with principal.expect_navigation():
        principal.locator("#file-form button").click()
    expect(principal.locator("#report-status")).to_contain_text(vi("Filed"))
    screenshot(principal, "yearreports-1-school-filed")

    office = as_user("xa_a1")
    office.goto(f"{live_server.url}{reverse('yearreports:board')}")
    expect(office.locator("#board")).to_contain_text(school.name)
    with office.expect_navigation():
        office.locator("#board a", has_text=vi("Review")).click()
    office.locator("#id_decision").select_option("return")
    office.locator("#id_comment").fill("Bổ sung kết quả của cán bộ quản lý.")
    with office.expect_navigation():
        office.locator("#decide-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Returned for changes"))
    screenshot(office, "yearreports-2-office-returned")

    principal.goto(school_report)
    expect(principal.locator("#report-status")).to_contain_text("Bổ sung kết quả của cán bộ quản lý.")
    with principal.expect_navigation():
        principal.locator("#file-form button").click()
    expect(principal.locator("#history")).to_contain_text(vi("Yearly results report returned"))

    office.goto(school_report)
    office.locator("#id_decision").select_option("accept")
    with office.expect_navigation():
        office.locator("#decide-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Accepted"))
    office.goto(f"{live_server.url}{reverse('yearreports:report', args=[commune.uuid, year.pk])}")
    expect(office.locator("#figures")).to_contain_text(vi("Figures to file: the sum of the reports filed below"))
    with office.expect_navigation():
        office.locator("#file-form button").click()
    expect(office.locator("#report-status")).to_contain_text(vi("Filed"))
    screenshot(office, "yearreports-3-commune-filed")
    own = YearReport.objects.get(unit=commune, school_year=year)
    assert own.figures == YearReport.objects.get(unit=school, school_year=year).figures

    so = as_user("so_a")
    so.goto(f"{live_server.url}{reverse('yearreports:board')}")
    expect(so.locator("#board")).to_contain_text(commune.name)
    expect(so.locator("#status-filter")).to_contain_text(vi("Nothing filed"))
    screenshot(so, "yearreports-4-so-board")
    with so.expect_navigation():
        so.locator("#status-filter a", has_text=vi("Filed")).first.click()
    expect(so.locator("#board tbody tr")).to_have_count(1)
    expect(so.locator("#board")).to_contain_text(commune.name)

    # The commune's report: the Sở sees every group figure; the ministry, which does not see
    # ethnicity, sees the small group cells as "<5".
    commune_report = f"{live_server.url}{reverse('yearreports:report', args=[commune.uuid, year.pk])}"
    so.goto(commune_report)
    expect(so.locator("#outcome")).to_be_visible()
    expect(so.locator("#suppression-note")).to_have_count(0)
    expect(so.locator("#outcome")).not_to_contain_text("<5")
    ministry = as_user("ministry")
    ministry.goto(commune_report)
    expect(ministry.locator("#suppression-note")).to_be_visible()
    expect(ministry.locator("#outcome")).to_contain_text("<5")
    screenshot(ministry, "yearreports-5-ministry-small-cells")
