"""A training institution's journey: the Sở that contracts it finds it under itself and gives one of
its staff an account; that person signs in and learns what their role does and what they can open."""

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]


def test_the_department_gives_its_institution_an_account_and_its_holder_lands_on_what_they_can_do(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_server,
    world: World,
    sign_in,
    screenshot: Shot,
) -> None:
    institution = world.u("cs_dt")
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}/units/{world.u('so_a').uuid}/")
    page.get_by_role("link", name=institution.name).click()
    expect(page.locator("#authority")).to_contain_text(world.u("so_a").name)
    expect(page.get_by_role("link", name=vi("Staff list"))).to_have_count(0)  # no staff records there
    screenshot(page, "institution-seen-by-department")

    page.locator("#accounts").get_by_role("link", name=vi("Create an account")).click()
    page.locator("#id_family_middle").fill("Bế Thị")
    page.locator("#id_given").fill("Ngọc Anh")
    page.locator("#id_username").fill("ngocanh.cdsp")
    page.locator("form button.btn-primary").click()
    expect(page.locator("#new-username")).to_have_text("ngocanh.cdsp")
    password = page.locator("#new-password").inner_text().strip()

    other = new_context().new_page()  # a second browser, Vietnamese as every context here
    sign_in(other, "ngocanh.cdsp", password)
    expect(other).to_have_url(f"{live_server.url}/")
    card = other.locator(".institution-card")
    expect(card).to_contain_text(institution.name)
    expect(card).to_contain_text(vi("What a training institution does in BDTX"))
    expect(
        other.get_by_text(vi("You have no role yet. Ask your school or office administrator to assign one."))
    ).to_have_count(0)
    screenshot(other, "home-institution")

    card.get_by_role("link", name=vi("Your institution's page")).click()
    expect(other).to_have_url(re.compile(rf"/units/{institution.uuid}/$"))
    expect(other.locator("h1")).to_have_text(institution.name)
    other.context.close()
