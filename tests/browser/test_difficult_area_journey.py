"""A principal marks a teacher who works at a satellite site (điểm trường) in a difficult village as
working in a difficult area, though the school is not one; the person page and the staff list's
"difficult area" filter then count her."""

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment
from conftest import World

Shot = Callable[[Page, str], Path]


def test_a_principal_marks_a_post_at_a_satellite_site_as_in_a_difficult_area(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    teacher = world.people["teacher_a2"]  # at Trường THCS Tây, not a difficult area
    sign_in(page, "principal_a2")
    page.goto(f"{live_server.url}/people/{teacher.uuid}/")
    cell = page.locator("[data-difficult-area]")
    expect(cell).to_have_attribute("data-difficult-area", "no")
    expect(cell).to_contain_text("theo đơn vị")
    screenshot(page, "person-detail-difficult-area-as-unit")

    page.locator("#edit-link").click()
    select = page.locator("#id_emp-difficult_area")
    expect(select.locator("option")).to_have_text(["Theo đơn vị (không)", "Có", "Không"])
    select.select_option("True")
    screenshot(page, "person-edit-difficult-area")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()

    expect(page.locator("[data-difficult-area]")).to_have_attribute("data-difficult-area", "yes")
    expect(page.locator("[data-difficult-area]")).not_to_contain_text("theo đơn vị")
    screenshot(page, "person-detail-difficult-area")
    work = Employment.objects.get(person=teacher, school_year=school_year_current())
    assert work.difficult_area is True

    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_text("theo đơn vị").first).to_be_visible()  # the change reads "theo đơn vị → Có"
    screenshot(page, "person-history-difficult-area")

    page.goto(f"{live_server.url}/people/?difficult=1")
    expect(page.get_by_text(teacher.full_name)).to_be_visible()
