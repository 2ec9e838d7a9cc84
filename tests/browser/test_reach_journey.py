"""In a real browser, in Vietnamese: a principal's row with another school's teacher is refused, a
file without the ID column asks for confirmation, a Sở transfers a teacher between its schools, a
person page shows the year being viewed, and an ID number is searched without entering the address.
Screenshots: reach-*.png."""

import re

import pytest
from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.people.models import Employment
from tests.browser.test_import_journey import XLSX, log_in, shot

pytestmark = pytest.mark.browser


def _upload(page: Page, base: str, content: bytes, name: str) -> None:
    page.goto(f"{base}/imports/new/staff/")
    page.locator("input[type=file]").set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    with page.expect_navigation():
        page.locator("#upload-button").click()
    expect(page).to_have_url(re.compile(r"/imports/[0-9a-f-]{36}/$"))


def test_a_row_with_another_schools_teacher_is_refused_in_vietnamese(page: Page, live_server, world) -> None:
    teacher_b1 = world.people["teacher_b1"]
    log_in(page, live_server.url, "principal_a1")
    page.goto(f"{live_server.url}/imports/new/staff/")
    years = page.locator("#id_school_year option").all_inner_texts()
    current = school_year_current().pk
    assert f"{current + 1}-{current + 2}" in years and "2035-2036" not in years
    rows = [
        ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh cá nhân", "Điện thoại"],
        ["Nguyễn Văn Mạo", teacher_b1.get_gender_display(), teacher_b1.date_of_birth, "Mường", teacher_b1.personal_id],
        ["Lò Thị Mới", "Nữ", "01/01/1995", "Thái", "014195012347", "0912000003"],
    ]
    _upload(page, live_server.url, build_xlsx(rows), "danh-sach-co-nguoi-truong-khac.xlsx")
    refused = page.locator('#error-table tr[data-code="person.outside_scope"]')
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("ngoài phạm vi quản lý")
    expect(page.locator("#import-valid")).to_be_visible()
    shot(page, "reach-refused-cross-school-row")
    with page.expect_navigation():
        page.locator("#import-valid").click()
    expect(page.locator("#created-count")).to_contain_text("1")
    assert Employment.objects.filter(person=teacher_b1).count() == 1  # still only at their own school


def test_a_file_without_the_id_column_asks_for_confirmation(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "principal_a1")
    rows = [["Họ và tên", "Giới tính", "Ngày sinh"], ["Mai Văn Tư", "Nam", "01/01/1980"]]
    _upload(page, live_server.url, build_xlsx(rows), "danh-sach-khong-co-cccd.xlsx")
    warning = page.locator('#error-table tr[data-code="column.no_personal_id"]')
    expect(warning).to_contain_text("tạo lại")
    expect(page.locator("#job-message")).to_contain_text("xác nhận")
    shot(page, "reach-no-id-column-confirmation")
    with page.expect_navigation():
        page.locator("#import-all").click()
    expect(page.locator("#created-count")).to_contain_text("1")


def test_a_department_transfers_a_teacher_between_two_of_its_schools(page: Page, live_server, world) -> None:
    teacher = world.people["teacher_a1"]
    log_in(page, live_server.url, "so_a")
    page.goto(f"{live_server.url}/people/{teacher.uuid}/")
    with page.expect_navigation():
        page.locator("#transfer-link").click()
    expect(page.locator("#transfer-rules")).to_contain_text("không thay đổi thông tin cá nhân")
    page.locator("#id_unit").select_option(world.u("thcs_a2").code)
    shot(page, "reach-transfer-page")
    with page.expect_navigation():
        page.locator("#transfer-form button").click()
    expect(page.locator("#work-this-year")).to_contain_text(world.u("thcs_a2").name)
    shot(page, "reach-person-after-transfer")


def test_a_person_page_shows_the_year_viewed(page: Page, live_server, world) -> None:
    teacher = world.people["teacher_a1"]
    year = school_year_current().pk
    Employment.objects.filter(person=teacher).update(school_year_id=year - 1)
    Employment.objects.create(person=teacher, school_year_id=year, unit=world.u("th_a1"), position="to_truong")
    log_in(page, live_server.url, "principal_a1")
    page.goto(f"{live_server.url}/people/{teacher.uuid}/?year={year - 1}")
    expect(page.locator("#person-year [aria-current=page]")).to_have_text(f"{year - 1}-{year}")
    expect(page.locator("#personal-id")).to_have_text(teacher.personal_id)
    shot(page, "reach-person-page-by-year")
    page.goto(f"{live_server.url}/people/{teacher.uuid}/?year={year - 4}")
    expect(page.locator("#no-work-this-year")).to_contain_text("Không có thông tin công tác")
    expect(page.locator("#personal-id")).to_have_count(0)
    shot(page, "reach-person-page-year-without-work")


def test_an_id_number_is_searched_through_a_form_not_the_address(page: Page, live_server, world) -> None:
    teacher = world.people["teacher_a1"]
    log_in(page, live_server.url, "principal_a1")
    page.goto(f"{live_server.url}/people/")
    with page.expect_navigation():
        page.locator("#find-by-id-link").click()
    page.locator("#id_personal_id").fill(world.people["teacher_b1"].personal_id)
    with page.expect_navigation():
        page.locator("#find-by-id button").click()
    expect(page.locator("#find-by-id .invalid-feedback")).to_be_visible()
    shot(page, "reach-id-search-not-found")
    page.locator("#id_personal_id").fill(teacher.personal_id)
    with page.expect_navigation():
        page.locator("#find-by-id button").click()
    assert teacher.personal_id not in page.url and str(teacher.uuid) in page.url
    expect(page.locator("#personal-id")).to_have_text(teacher.personal_id)
