"""A commune office opens its dashboard: the chart drawn from the table's figures, the table beside
it; it drills down to a school, then to a teacher's BDTX record, and downloads a table as .xlsx. On a
phone the tables scroll and the charts fit the screen."""

import io
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect
from python_calamine import CalamineWorkbook

from conftest import World

Shot = Callable[[Page, str], Path]


def _chart_drawn(page: Page, key: str) -> bool:
    return page.evaluate(
        "key => { const c = document.querySelector(`canvas[data-chart='chart-data-${key}']`);"
        " return !!(c && window.Chart && Chart.getChart(c) && c.width > 0); }",
        key,
    )


def test_a_commune_office_drills_down_from_its_dashboard_to_a_teachers_record(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    sign_in(page, "xa_a1")
    page.get_by_role("button", name="Chương trình bồi dưỡng").click()
    page.get_by_role("link", name="Bảng số liệu").first.click()
    expect(page.locator("h1")).to_contain_text(world.u("xa_a1").name)
    units = page.locator("#table-units")
    expect(units.locator("table")).to_contain_text(world.u("th_a1").name)
    page.wait_for_function("() => window.Chart !== undefined")
    assert _chart_drawn(page, "units")
    assert _chart_drawn(page, "months")
    screenshot(page, "dashboards-commune")

    with page.expect_download() as info:
        units.get_by_role("link", name="Tải .xlsx").click()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(Path(info.value.path()).read_bytes())).get_sheet_by_index(0)
    assert world.u("th_a1").name in [r[0] for r in rows.to_python()]

    units.get_by_role("link", name=world.u("th_a1").name).click()
    expect(page.locator("h1")).to_contain_text(world.u("th_a1").name)
    people = page.locator("#table-people")
    teacher = world.people["teacher_a1"]
    expect(people).to_contain_text(teacher.full_name)
    screenshot(page, "dashboards-school")

    people.get_by_role("link", name=teacher.full_name).click()
    expect(page).to_have_url(f"{live_server.url}/records/{teacher.uuid}/")
    expect(page.locator("h1")).to_contain_text(teacher.full_name)


def test_the_dashboard_fits_a_phone(phone_page: Page, live_server, world: World, sign_in, screenshot: Shot) -> None:
    page = phone_page
    sign_in(page, "xa_a1")
    page.goto(f"{live_server.url}/dashboards/")
    page.wait_for_function("() => window.Chart !== undefined")
    assert _chart_drawn(page, "units")
    # the page does not scroll sideways: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = page.locator("canvas[data-chart='chart-data-units']").bounding_box()
    assert box is not None and box["width"] <= 360
    screenshot(page, "dashboards-commune-phone")


def test_a_dashboard_waits_for_a_background_computation_then_shows_its_figures(
    page: Page, live_server, world: World, sign_in, screenshot: Shot, settings, monkeypatch
) -> None:
    """Many units changed: the page shows the worker's progress, polls it, and shows the figures by
    itself once the worker is done."""
    from types import SimpleNamespace

    from bdtx.core.selectors import school_year_current
    from bdtx.summaries import tasks
    from bdtx.summaries.models import Change
    from bdtx.summaries.services import job_run

    settings.SUMMARIES_INLINE_LIMIT = 0
    held: list[int] = []
    monkeypatch.setattr(tasks, "summaries_refresh_task", SimpleNamespace(enqueue=held.append))
    Change.objects.create(school_year_id=school_year_current().pk, unit_id=world.u("th_a1").pk)  # th_a1 changed
    sign_in(page, "xa_a1")
    page.goto(f"{live_server.url}/dashboards/")
    bar = page.locator("#figures-progress")
    expect(bar).to_contain_text("0/1")
    screenshot(page, "dashboards-computing")
    job_run(job_id=held[0])  # the worker
    expect(page.locator("#table-units")).to_contain_text(world.u("th_a1").name)  # reloaded by the poll
    expect(bar).to_have_count(0)
