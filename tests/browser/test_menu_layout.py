"""The main menu of every role on one line of a 1366 × 768 laptop screen (and of the narrowest
screen it is expanded on, 1200 px), and behind the toggler on a phone.

Roles are the test world's equivalents of the demo accounts (bo, so, xa, hieutruong, giaovien,
cotcan, csdt, sysadmin); the principal has a staff record, as the demo's does, so her menu also
holds her own plan and self-assessment. Every user gets a long Vietnamese name: the name is the
last entry of the bar.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bdtx.people.models import Person
from conftest import World
from tests.browser.conftest import PHONE
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]
NewContext = Callable[..., BrowserContext]

pytestmark = pytest.mark.browser

# demo account → the test world's user with the same role
ROLES = {
    "bo": "ministry",
    "so": "so_a",
    "xa": "xa_a1",
    "hieutruong": "principal_a1",
    "giaovien": "teacher_a1",
    "cotcan": "mentor_a1",
    "csdt": "institution",
    "sysadmin": "sysadmin",
}
LONG_NAME = ("Nguyễn Hoàng Thị", "Ngọc Phương Anh")
LAPTOP = {"width": 1366, "height": 768}

# The top-level entries of the bar: their top edge, height and whether their text fits one line.
ENTRIES = """() => [...document.querySelectorAll('#mainnav > ul > li')].map(li => {
  const link = li.querySelector(':scope > a');
  const style = getComputedStyle(link);
  return {
    text: link.innerText.trim(),
    top: li.offsetTop,
    height: li.offsetHeight,
    lines: Math.round((link.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom))
      / parseFloat(style.lineHeight)),
  };
})"""


@pytest.fixture
def demo_like(world: World) -> World:
    Person.objects.filter(pk=world.people["principal_a1"].pk).update(user=world.users["principal_a1"])
    for user in world.users.values():
        user.first_name, user.last_name = LONG_NAME
        user.save(update_fields=["first_name", "last_name"])
    return world


def assert_one_line(page: Page, role: str) -> None:
    entries = page.evaluate(ENTRIES)
    assert len(entries) >= 3, entries  # Home, a group or two, the user's menu
    width = page.viewport_size["width"] if page.viewport_size else 0
    where = f"{role} at {width} px: {entries}"
    assert len({e["top"] for e in entries}) == 1, f"entries on more than one line: {where}"
    assert len({e["height"] for e in entries}) == 1, f"an entry is taller than the others: {where}"
    assert all(e["lines"] == 1 for e in entries), f"an entry's text wraps: {where}"
    bar = page.locator("nav.navbar")
    home = page.locator("#mainnav > ul > li").first
    bar_height = bar.evaluate("el => el.offsetHeight")
    assert bar_height < 2 * home.evaluate("el => el.offsetHeight"), f"the bar is {bar_height} px tall: {where}"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), where


@pytest.mark.parametrize("role", list(ROLES))
def test_each_roles_menu_fits_one_line_of_a_laptop(
    role: str, demo_like: World, new_context: NewContext, sign_in, screenshot: Shot
) -> None:
    page = new_context(viewport=LAPTOP).new_page()
    sign_in(page, ROLES[role])
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    assert_one_line(page, role)

    # Every group opens below the bar, on the screen.
    toggles = page.locator("#mainnav .dropdown-toggle")
    for n in range(toggles.count()):
        toggles.nth(n).click()
        menu = page.locator("#mainnav .dropdown-menu.show")
        expect(menu).to_have_count(1)
        box = menu.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["width"], (role, n, box)
        page.keyboard.press("Escape")
    toggles.first.click()  # the screenshot shows the first group open
    screenshot(page, f"menu-{role}-1366")

    page.set_viewport_size({"width": 1200, "height": 768})  # the narrowest expanded bar
    page.keyboard.press("Escape")
    assert_one_line(page, role)


def test_on_a_phone_the_principals_menu_is_behind_the_toggler_and_every_entry_can_be_reached(
    demo_like: World, new_context: NewContext, sign_in, screenshot: Shot
) -> None:
    page = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    sign_in(page, ROLES["hieutruong"])
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    toggler.tap()
    expect(page.locator("#mainnav")).to_be_visible()
    groups = page.locator("#mainnav .dropdown-toggle")
    for label in ("BDTX plans", "Programmes", "Staff and units", "Administration"):
        expect(groups.filter(has_text=vi(label))).to_have_count(1)
    administration = groups.filter(has_text=vi("Administration"))
    administration.tap()
    for label in ("Import", "Accounts", "Audit log"):
        entry = page.locator("#mainnav .dropdown-menu.show").get_by_role("link", name=vi(label), exact=True)
        expect(entry).to_be_visible()
        box = entry.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (label, box)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "menu-hieutruong-phone")
    with page.expect_navigation():
        page.locator("#mainnav .dropdown-menu.show").get_by_role("link", name=vi("Audit log"), exact=True).tap()
    expect(page.locator("h1")).to_have_text(vi("Audit log"))
