"""A Sở gives its province the periods of modules the ministry's catalog gives none, in a real
browser, and a teacher of the province is then proposed those modules; a module still without
periods is left out, and the recommendation box says how many and who can help.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog import services as catalog_services
from bdtx.catalog.models import Module, ModuleLocalHours
from bdtx.core.selectors import school_year_current
from bdtx.regimes.models import Programme
from bdtx.regimes.selectors import hours_for
from bdtx.standards.models import Assessment, Criterion, CriterionRating, Level
from bdtx.standards.selectors import framework_in_force
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser

CATALOG = "GVPT-TT17-2019"
GIVEN = "GVPT 04"  # no periods in the ministry's catalog: the Sở gives it 20 for its province
STILL_UNKNOWN = "GVPT 05"  # no periods anywhere: left out of the recommendations
DOC = "Công văn số 1234/SGDĐT-GDTrH ngày 15/8/2026"


def vi_n(singular: str, plural: str, n: int) -> str:
    with translation.override("vi"):
        return str(translation.ngettext(singular, plural, n)) % {"n": n}


def module_row(page: Page, code: str) -> Locator:
    return page.locator("#local-hours tbody tr").filter(has=page.locator("span.fw-semibold", has_text=code))


def test_a_department_gives_modules_periods_and_its_teacher_is_proposed_them(
    page: Page, phone_page: Page, new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    year = school_year_current()
    given, unknown = (Module.objects.get(catalog__code=CATALOG, code=c) for c in (GIVEN, STILL_UNKNOWN))
    assert given.hours_total is None and unknown.hours_total is None, "catalog periods changed"
    assert [c.number for c in given.criteria.all()] == [4] and [c.number for c in unknown.criteria.all()] == [5]

    # 1. The Sở finds the page from the module list: the GVPT modules without periods, no periods yet.
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('catalog:modules')}")
    with page.expect_navigation():
        page.locator("#local-hours-link").click()
    expect(page.locator("h1")).to_contain_text(vi("Periods of modules in the province"))
    expect(page.locator("h1")).to_contain_text(world.u("so_a").name)
    expect(module_row(page, "GVPT 01")).to_have_count(0)  # the ministry gives it 20 periods
    row = module_row(page, GIVEN)
    expect(row).to_contain_text(vi("no periods yet"))
    screenshot(page, "local-hours-1-page")

    # 2. Zero periods are refused on the module's row; 20 with the Sở's letter are kept.
    row.locator("input[name$='-hours']").fill("0")
    row.locator("input[name$='-source']").fill(DOC)
    with page.expect_navigation():
        row.locator("form").first.locator("button").click()
    row = module_row(page, GIVEN)
    expect(row.locator(".invalid-feedback")).to_be_visible()
    assert not ModuleLocalHours.objects.exists()
    row.locator("input[name$='-hours']").fill("20")
    with page.expect_navigation():
        row.locator("form").first.locator("button").click()
    expect(page).to_have_url(re.compile(rf"#m-{given.uuid}$"))
    expect(page.get_by_role("alert").filter(has_text=GIVEN)).to_be_visible()
    row = module_row(page, GIVEN)
    expect(row).to_contain_text(DOC)
    expect(row.locator("strong")).to_have_text(vi_n("%(n)s period", "%(n)s periods", 20))
    screenshot(page, "local-hours-2-set")
    # On a phone, each module's row stacks and the page does not scroll sideways.
    sign_in(phone_page, "so_a")
    phone_page.goto(page.url)
    expect(module_row(phone_page, GIVEN)).to_contain_text(DOC)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= phone_page.evaluate(
        "document.documentElement.clientWidth"
    )
    screenshot(phone_page, "local-hours-2-set-phone")

    # 3. A teacher of the province, weak on criteria 4 and 5, starts her plan: GVPT 04 is proposed
    #    with the province's periods; GVPT 05, still without periods, is left out and the box says so.
    hours = hours_for(unit=world.u("th_a1"), school_year=year)
    for unit, programme, key in (("bo", Programme.BD01, "ministry"), ("so_a", Programme.BD02, "so_a")):
        catalog_services.content_create(
            scope=scope_for_user(world.users[key]),
            unit=world.u(unit),
            school_year=year,
            programme=programme,
            title=f"Nội dung {programme}",
            hours=hours["bd01" if programme == Programme.BD01 else "bd02"],
        )
    teacher = world.people["teacher_a1"]
    framework = framework_in_force(audience="GVPT", school_year=year)
    assert framework is not None
    assessment = Assessment.objects.create(
        person=teacher, unit=world.u("th_a1"), school_year_id=year.pk - 1, framework=framework
    )
    for criterion in Criterion.objects.filter(standard__framework=framework, number__in=[4, 5]):
        CriterionRating.objects.create(assessment=assessment, criterion=criterion, self_level=Level.MET)
    teacher_page = new_context().new_page()
    sign_in(teacher_page, "teacher_a1")
    teacher_page.goto(f"{live_server.url}{reverse('plans:mine')}")
    with teacher_page.expect_navigation():
        teacher_page.locator("#start-plan").click()
    recs = teacher_page.locator("#recommendations > li")
    proposed = recs.filter(has=teacher_page.locator("strong", has_text=GIVEN))
    expect(proposed).to_contain_text(vi("set by your province"))
    expect(proposed.locator(".badge", has_text=vi("proposed"))).to_be_visible()
    expect(recs.filter(has=teacher_page.locator("strong", has_text=STILL_UNKNOWN))).to_have_count(0)
    left_out = teacher_page.locator("#recommendations-without-hours")
    expect(left_out).to_contain_text(
        vi_n(
            "%(n)s module has no periods yet, so it is not proposed; the Sở can set its periods for the province.",
            "%(n)s modules have no periods yet, so they are not proposed; the Sở can set their periods for the "
            "province.",
            1,
        )
    )
    left_out.locator("summary").click()
    expect(left_out.locator("li")).to_contain_text(STILL_UNKNOWN)
    screenshot(teacher_page, "local-hours-3-recommendations")
    with teacher_page.expect_navigation():
        proposed.locator("button").click()
    item = teacher_page.locator("#plan-items tbody tr").filter(has=teacher_page.locator("strong", has_text=GIVEN))
    expect(item.locator("td").nth(2)).to_have_text("20")
