"""Issue 10's workflow on the pages: the principal computes the school's year results and proposes
them; the commune office finds the school on its page of results awaiting recognition, returns the
proposal with a comment; the principal proposes again; the office recognises them and corrects one
recognised result with a reason, which its history shows. Interface strings through gettext (`vi`)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.results.models import ResultStatus, YearResult
from bdtx.training.tests.conftest import approve, staff
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_school_proposes_office_returns_then_recognises_and_corrects(
    new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, username)
        page.on("dialog", lambda d: d.accept())
        return page

    year = school_year_current()
    people = staff(world.u("th_a1"), 2)
    for p in people:
        approve(p, world.u("th_a1"), year=year.start_year)  # an empty plan: not completed
    school_url = f"{live_server.url}{reverse('results:unit', kwargs={'uuid': world.u('th_a1').uuid})}?year={year.pk}"

    # the principal computes and proposes from the menu's page
    principal = as_user("principal_a1")
    principal.goto(f"{live_server.url}{reverse('results:school')}")
    with principal.expect_navigation():
        principal.locator("#compute").click()
    expect(principal.locator("#count-total")).to_have_text("2")
    expect(principal.locator("#results-table")).to_contain_text(vi("The approved plan has no item"))
    with principal.expect_navigation():
        principal.locator("#propose").click()
    expect(principal.locator("#count-proposed")).to_have_text("2")
    screenshot(principal, "results-01-school-proposed")

    # the office finds the school waiting and returns it with a comment
    office = as_user("xa_a1")
    office.goto(f"{live_server.url}{reverse('results:recognise')}?year={year.pk}")
    with office.expect_navigation():
        office.locator("#schools-table a", has_text=world.u("th_a1").name).click()
    office.locator("#return-comment").fill("Thiếu điểm bài thu hoạch")
    with office.expect_navigation():
        office.locator("#return").click()
    expect(office.locator("#count-computed")).to_have_text("2")

    # the principal sees the comment and proposes again
    principal.goto(school_url)
    expect(principal.locator("#results-table")).to_contain_text("Thiếu điểm bài thu hoạch")
    with principal.expect_navigation():
        principal.locator("#propose").click()

    # the office recognises, then corrects one result with a reason
    office.goto(school_url)
    with office.expect_navigation():
        office.locator("#recognise").click()
    expect(office.locator("#count-recognised")).to_have_text("2")
    assert set(YearResult.objects.values_list("status", flat=True)) == {ResultStatus.RECOGNISED}
    with office.expect_navigation():
        office.locator("#results-table a", has_text=people[0].full_name).click()
    office.locator("#id_category").select_option("hoan_thanh")
    office.locator("#id_reason").fill("Chấm phúc khảo")
    with office.expect_navigation():
        office.locator("#correct-form button[type=submit]").click()
    expect(office.locator("#result-label")).to_have_text("Hoàn thành kế hoạch BDTX")
    expect(office.locator("#result-history")).to_contain_text("Chấm phúc khảo")
    screenshot(office, "results-02-corrected")
