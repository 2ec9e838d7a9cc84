"""The main journeys a person makes, in a real browser: sign in, land, find a colleague, on a phone."""

import re
from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.core.text import fold
from conftest import PASSWORD, World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

# Staff employed this year at Trường Tiểu học Đông in the shared world (conftest.build_world):
# teacher_a1, mentor_a1 (core teacher), colleague_a1 — teachers — and principal_a1, a manager;
# teacher_a1 and colleague_a1 are women.
TH_A1_STAFF = {"Staff this year": 4, "Teachers": 3, "Managers": 1, "Women": 2, "Core teachers": 1}


def unit_card(page: Page, unit_name: str) -> Locator:
    """The landing-page card of one of the user's units (its header names the unit)."""
    return page.locator(".card").filter(has=page.locator(".card-header", has_text=unit_name))


def stat(card: Locator, label: str) -> str:
    """The figure shown above `label` on a landing-page card."""
    box = card.locator(".card-stat").filter(has=card.page.get_by_text(vi(label), exact=True))
    return box.locator(".display-6").inner_text().strip()


def test_principal_signs_in_and_sees_their_school_with_its_head_counts(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # anonymous people are sent to sign in
    screenshot(page, "login")

    sign_in(page, "principal_a1")

    expect(page).to_have_url(f"{live_server.url}/")
    card = unit_card(page, world.u("th_a1").name)
    expect(card).to_be_visible()
    for label, n in TH_A1_STAFF.items():
        assert stat(card, label) == str(n), label
    screenshot(page, "home-principal")


def test_staff_search_finds_a_vietnamese_name_typed_without_diacritics(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    teacher = world.people["teacher_a1"]
    colleague = world.people["colleague_a1"]
    typed = fold(teacher.full_name)
    assert typed != teacher.full_name  # the journey is about the missing diacritics
    sign_in(page, "principal_a1")
    unit_card(page, world.u("th_a1").name).get_by_role("link", name=vi("Staff list")).click()
    expect(page).to_have_url(re.compile(r"/people/\?unit="))
    table = page.locator("#staff-table")
    expect(table).to_contain_text(colleague.full_name)
    # The filter shows the school year being listed, so the search below stays in that year.
    expect(page.locator("select[name=year] option:checked")).to_have_text(school_year_current().label)

    page.locator("input[name=q]").press_sequentially(typed)

    # htmx swaps the table in place and records the search in the address bar.
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(table.get_by_role("link", name=teacher.full_name, exact=True)).to_be_visible()
    if not set(fold(teacher.full_name).split()) <= set(fold(colleague.full_name).split()):
        expect(table).not_to_contain_text(colleague.full_name)
    screenshot(page, "staff-search")


def test_a_wrong_password_is_refused_with_a_message(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    sign_in(page, "principal_a1", password=PASSWORD + "-sai")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    with translation.override("vi"):
        username = str(User._meta.get_field("username").verbose_name)
        message = str(AuthenticationForm.error_messages["invalid_login"]) % {"username": username}
    expect(page.get_by_role("alert")).to_have_text(message)
    screenshot(page, "login-wrong-password")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))  # still signed out


def test_landing_page_fits_a_360px_phone_without_sideways_scrolling(
    phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    page = phone_page
    sign_in(page, "principal_a1")

    card = unit_card(page, world.u("th_a1").name)
    expect(card).to_be_visible()
    assert stat(card, "Staff this year") == str(TH_A1_STAFF["Staff this year"])
    assert page.evaluate("document.documentElement.clientWidth") == 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "phone-home-principal")

    page.goto(f"{live_server.url}/people/")
    expect(page.locator("#staff-table")).to_contain_text(world.people["teacher_a1"].full_name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "phone-staff-list")
