"""What people read when an upload is refused or an import needs them, in a real browser, in
Vietnamese: rows skipped, ambiguous columns, a VNI file converted, the size limits, an import whose
worker died (and trying it again), a learning material that is a web page. Screenshots are kept in
artifacts/screenshots/ (upload-*.png)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.catalog.models import Material, Module
from bdtx.core.importing.legacy import encode_vni
from bdtx.core.tests import hostile
from bdtx.core.tests.test_uploads import HTML
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.test_rows import HEADER, _list_with_a_subtotal_in_the_middle
from tests.browser.test_import_journey import XLSX, log_in, shot, upload

pytestmark = pytest.mark.browser


def _job() -> ImportJob:
    return ImportJob.objects.latest("created_at")


def test_the_rows_skipped_are_counted_and_listed_on_the_job_page(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "principal_a1")
    upload(page, live_server.url, _list_with_a_subtotal_in_the_middle(), "danh-sach-co-dong-cong.xlsx")
    skipped = page.locator("#skipped-rows")
    expect(skipped).to_contain_text("3 dòng tổng cộng / chữ ký đã bỏ qua")
    expect(skipped).to_contain_text("Dòng 6 · tổng cộng / cộng nhóm · “Cộng tổ Toán: 2 người”")
    expect(page.locator("#created-count")).to_contain_text("4")
    shot(page, "upload-skipped-rows")


def test_two_columns_named_alike_are_refused_naming_both(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "principal_a1")
    rows = [["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Họ và tên"], [1, "Nguyễn Thị An", "Nữ", "02/01/1981", "An"]]
    upload(page, live_server.url, build_xlsx(rows), "hai-cot-ho-ten.xlsx")
    expect(page.locator("#job-message")).to_contain_text(
        "Dòng tiêu đề không rõ ràng: cột B (“Họ và tên”), cột E (“Họ và tên”) cùng là “Họ và tên”."
    )
    shot(page, "upload-ambiguous-columns")


def test_a_list_typed_in_vni_is_converted_and_says_so(page: Page, live_server, world) -> None:
    log_in(page, live_server.url, "principal_a1")
    people = [
        [1, encode_vni("Nguyễn Thị Hương"), encode_vni("Nữ"), "02/01/1981", encode_vni("Mường"), "001181012345"],
        [2, encode_vni("Đặng Văn Tuấn"), "Nam", "03/01/1982", encode_vni("Tày"), "001082012346"],
    ]
    content = build_xlsx([[encode_vni("DANH SÁCH GIÁO VIÊN")], [encode_vni(h) for h in HEADER], *people])
    upload(page, live_server.url, content, "danh-sach-vni.xlsx")
    page.locator("details summary", has_text="Các cột được nhận biết").click()
    expect(page.locator("body")).to_contain_text(
        "Tệp được gõ bằng bảng mã cũ VNI (VNI-Times) và đã được chuyển sang Unicode."
    )
    expect(page.locator("#job-message")).to_contain_text("Đã ghi 2 dòng.")
    shot(page, "upload-vni")


def test_the_size_limits_are_named_at_upload_and_on_the_job(page: Page, live_server, world, settings) -> None:
    log_in(page, live_server.url, "principal_a1")
    page.goto(f"{live_server.url}/imports/new/staff/")
    huge = hostile.huge_cell_xlsx(20 * 2**20)  # a 20 MB cell in a 20 KB file
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "o-khong-lo.xlsx", "mimeType": XLSX, "buffer": huge}]
    )
    with page.expect_navigation():
        page.locator("#upload-button").click()
    expect(page.locator("#upload-form")).to_contain_text("chứa hơn 32.767 ký tự, nhiều hơn cả mức Excel cho phép")
    assert not ImportJob.objects.exists()
    shot(page, "upload-cell-too-long")

    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 16 * 2**20
    upload(page, live_server.url, hostile.shared_strings_bomb_xlsx(count=40_000, length=1000), "bom-nen.xlsx")
    expect(page.locator("#job-message")).to_contain_text("Khi giải nén, tệp chứa hơn 16 MB")
    shot(page, "upload-size-cap")


def test_an_import_whose_worker_died_can_be_tried_again(page: Page, live_server, world, settings) -> None:
    log_in(page, live_server.url, "principal_a1")
    upload(page, live_server.url, _list_with_a_subtotal_in_the_middle(), "danh-sach.xlsx")
    job = _job()
    # As a worker killed while writing leaves it: "Importing… 60 %", its lease no longer renewed.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.IMPORTING,
        progress=60,
        heartbeat_at=timezone.now() - timedelta(seconds=settings.IMPORT_JOB_LEASE_SECONDS + 60),
    )
    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    expect(page.locator("#job-message")).to_contain_text(
        "Việc nhập dừng ở 60 %: tiến trình xử lý nền không phản hồi trong 10 phút"
    )
    expect(page.locator("#import-retry")).to_be_visible()
    shot(page, "upload-stale-job-retry")
    with page.expect_navigation():
        page.locator("#import-retry").click()
    expect(page.locator("#job-status")).to_have_text("Hoàn tất")
    expect(page.locator("#created-count")).to_contain_text("0")  # the four people were written the first time
    shot(page, "upload-stale-job-retried")


def test_a_web_page_offered_as_a_pdf_material_is_refused(page: Page, live_server, world) -> None:
    module = Module.objects.get(catalog__code="GVPT-TT17-2019", code="GVPT 01")
    log_in(page, live_server.url, "so_a")
    page.goto(f"{live_server.url}/catalog/modules/{module.uuid}/")
    form = page.locator(f"form[action$='/catalog/modules/{module.uuid}/materials/']")
    form.locator("select[name=kind]").select_option("file")
    form.locator("input[name=title]").fill("Bài giảng mô đun 1")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "bai-giang.pdf", "mimeType": "application/pdf", "buffer": HTML}]
    )
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        re.compile(r"Tệp “bai-giang\.pdf” là một trang web hoặc tệp XML .*, dù tên tệp nói gì\. Ở đây chỉ nhận: PDF")
    )
    assert not Material.objects.exists()
    shot(page, "upload-material-refused")
