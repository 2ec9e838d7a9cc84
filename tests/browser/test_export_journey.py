"""Export what the list shows: filter the staff list with its dropdowns (htmx swaps the table in
place), click "Xuất Excel", and the workbook holds the rows the list counts; Back and Forward
then show the filters of the address, dropdowns included."""

import io
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import BrowserType, Page, expect
from python_calamine import CalamineWorkbook

from bdtx.people.models import Gender
from conftest import World
from tests.browser.accessibility import AxeWatch

Shot = Callable[[Page, str], Path]


def _exported_rows(page: Page) -> list[list]:
    """Click the export link; the data rows of the downloaded workbook (title rows and header left out)."""
    with page.expect_download() as info:
        page.locator("#export-link").click()
    content = Path(info.value.path()).read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return [row for row in rows[4:] if row and row[0] != ""]


def _listed(page: Page) -> int:
    return int(page.locator("#staff-count").get_attribute("data-count") or "-1")


def _history(page: Page, steps: int) -> None:
    """Back (-1) or Forward (1), as the browser's buttons do. Not page.go_back(): it waits for a load
    that htmx's reload of a pushed address (no history cache) may abort; the checks that follow wait."""
    page.evaluate(f"history.go({steps})")
    page.wait_for_load_state()


def _dropdowns_match_the_address(page: Page) -> None:
    """Every dropdown of the filter shows the value the address names (its first option when none)."""
    params = parse_qs(urlsplit(page.url).query)
    selects = page.locator("#staff-filter select")
    assert selects.count() > 2
    for i in range(selects.count()):
        select = selects.nth(i)
        name = select.get_attribute("name") or ""
        if name == "year":
            continue  # the list shows the current year when the address names none
        wanted = params.get(name, [""])[0]
        expect(select, f"dropdown {name}").to_have_value(wanted)


def test_the_staff_export_holds_the_rows_the_filtered_list_counts_and_back_restores_the_filters(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    school = world.u("th_a1")
    sign_in(page, "so_a")  # the Sở: the whole province
    page.goto(f"{live_server.url}/people/")
    everyone = _listed(page)
    assert everyone > 4

    page.locator("#staff-filter select[name=unit]").select_option(str(school.uuid))

    expect(page).to_have_url(re.compile(rf"[?&]unit={school.uuid}"))
    expect(page.locator("#staff-count")).to_have_attribute("data-count", "4")
    expect(page.locator("#export-link")).to_have_attribute("href", re.compile(rf"[?&]unit={school.uuid}"))
    screenshot(page, "staff-list-filtered-export")
    rows = _exported_rows(page)
    assert len(rows) == _listed(page) == 4
    assert {row[8] for row in rows} == {school.name}  # the unit column, after ethnicity and ID number

    # A second filter, then Back: the address, the table, the dropdowns and the export are the first filter's.
    page.locator("#staff-filter select[name=gender]").select_option(Gender.FEMALE)
    expect(page).to_have_url(re.compile(rf"[?&]gender={Gender.FEMALE}"))
    expect(page.locator("#staff-count")).to_have_attribute("data-count", "2")
    assert len(_exported_rows(page)) == 2

    _history(page, -1)
    expect(page).not_to_have_url(re.compile(rf"[?&]gender={Gender.FEMALE}"))
    expect(page.locator("#staff-count")).to_have_attribute("data-count", "4")
    _dropdowns_match_the_address(page)
    expect(page.locator("#staff-filter select[name=unit]")).to_have_value(str(school.uuid))
    assert len(_exported_rows(page)) == 4

    _history(page, 1)
    expect(page).to_have_url(re.compile(rf"[?&]gender={Gender.FEMALE}"))
    expect(page.locator("#staff-count")).to_have_attribute("data-count", "2")
    _dropdowns_match_the_address(page)
    expect(page.locator("#staff-filter select[name=gender]")).to_have_value(Gender.FEMALE)

    # Open a person and come back: the filtered page again, not the bare table htmx fetched.
    page.locator("#staff-table tbody a").first.click()
    expect(page).not_to_have_url(re.compile(r"/people/\?"))
    _history(page, -1)
    expect(page.locator("#staff-filter")).to_be_visible()
    expect(page.locator("#staff-count")).to_have_attribute("data-count", "2")
    _dropdowns_match_the_address(page)
    assert len(_exported_rows(page)) == 2

    _history(page, -2)
    expect(page).to_have_url(f"{live_server.url}/people/")
    expect(page.locator("#staff-count")).to_have_attribute("data-count", str(everyone))
    _dropdowns_match_the_address(page)
    assert len(_exported_rows(page)) == everyone


def test_back_to_a_filtered_list_shows_the_whole_page_when_the_browser_keeps_no_page_in_memory(
    browser_type: BrowserType,
    browser_type_launch_args: dict,
    browser_context_args: dict,
    live_server,
    world: World,
    sign_in,
    axe_watch: AxeWatch,
) -> None:
    """Without the back-forward cache (memory pressure, an open connection, other browsers), Back
    loads the address again, and the browser's HTTP cache holds what htmx fetched there: the table
    alone, unless the answer says it varies with HX-Request."""
    args = [*browser_type_launch_args["args"], "--disable-features=BackForwardCache"]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        context = browser.new_context(**browser_context_args)
        axe_watch.watch(context)
        page = context.new_page()
        sign_in(page, "so_a")
        page.goto(f"{live_server.url}/people/")
        page.locator("#staff-filter select[name=unit]").select_option(str(world.u("th_a1").uuid))
        expect(page.locator("#staff-count")).to_have_attribute("data-count", "4")
        page.locator("#staff-table tbody a").first.click()
        expect(page).not_to_have_url(re.compile(r"/people/\?"))

        _history(page, -1)

        expect(page).to_have_url(re.compile(r"/people/\?"))
        expect(page.locator("#staff-filter")).to_be_visible()
        expect(page.locator("#staff-count")).to_have_attribute("data-count", "4")
        _dropdowns_match_the_address(page)
        assert len(_exported_rows(page)) == 4
        axe_watch.finish()  # before the browser closes
    finally:
        browser.close()
