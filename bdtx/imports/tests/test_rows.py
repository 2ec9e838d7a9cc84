"""Imports never lose or garble rows without a word: totals, subtotals, blank and signature rows are
skipped anywhere and listed; anything else that is not a person is a row problem; a header naming a
field twice is refused; VNI text is read like TCVN3. Shown with staff lists, the same for every kind."""

from datetime import date

import pytest

from bdtx.core.importing.legacy import encode_vni
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.people.models import Person
from bdtx.people.validators import personal_id_for

pytestmark = pytest.mark.django_db
HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh cá nhân"]


def _person(n: int, name: str, gender: str = "Nữ") -> list[object]:
    birth = date(1980 + n, 1, 2)
    pid = personal_id_for(province="001", gender="F" if gender == "Nữ" else "M", birth=birth, serial=n)
    return [n, name, gender, birth, "Kinh", pid]


def _list_with_a_subtotal_in_the_middle() -> bytes:
    return build_xlsx(
        [
            ["DANH SÁCH GIÁO VIÊN NĂM HỌC 2025-2026"],  # 1
            HEADER,  # 2
            ["I", "Tổ Toán"],  # 3: a group heading
            _person(1, "Nguyễn Thị An"),
            _person(2, "Trần Thị Bình"),
            [None, "Cộng tổ Toán: 2 người"],  # 6: a subtotal in the middle
            ["II", "Tổ Văn"],  # 7
            _person(3, "Lê Thị Cúc"),
            [],  # 9: a blank row between people
            _person(4, "Phạm Văn Dũng", "Nam"),
            ["Tổng cộng", "4 người"],  # 11
            [],
            [None, "Người lập biểu", None, None, None, "HIỆU TRƯỞNG"],  # 13
        ]
    )


def test_a_subtotal_in_the_middle_no_longer_ends_the_import(world, upload):
    """It used to: the people listed after it were dropped and the job said "done"."""
    people = Person.objects.count()
    job = upload(_list_with_a_subtotal_in_the_middle())
    assert (job.status, job.total_rows, job.created_count) == (ImportJob.Status.DONE, 4, 4)
    assert Person.objects.count() == people + 4
    assert [(s["row"], s["kind"]) for s in job.skipped_rows] == [
        (3, "section"),
        (6, "total"),
        (7, "section"),
        (9, "blank"),
        (11, "total"),
        (13, "signature"),
    ]
    assert job.skipped_count == 6 and job.skipped_rows[1]["text"] == "Cộng tổ Toán: 2 người"


def test_the_job_page_counts_and_lists_the_rows_it_skipped(world, upload, login):
    job = upload(_list_with_a_subtotal_in_the_middle())
    html = login(world.users["principal_a1"]).get(job.get_absolute_url()).content.decode()
    assert "3 dòng tổng cộng / chữ ký đã bỏ qua; 1 dòng trống giữa danh sách đã bỏ qua" in html
    assert "2 dòng tên nhóm (I., II., A…) đã bỏ qua" in html
    assert "Dòng 6 · tổng cộng / cộng nhóm · “Cộng tổ Toán: 2 người”" in html
    assert "Dòng 13 · chữ ký · “Người lập biểu · HIỆU TRƯỞNG”" in html


def test_a_row_that_is_not_a_person_nor_a_total_is_a_row_problem_not_a_silent_skip(world, upload):
    rows = [
        HEADER,
        _person(1, "Nguyễn Thị An"),
        [None, "Giáo viên hợp đồng chuyển đến từ tháng 9"],
        _person(2, "Lò Văn Tú"),
    ]
    job = upload(build_xlsx(rows))
    assert (job.status, job.total_rows, job.valid_rows) == (ImportJob.Status.VALIDATED, 3, 2)
    assert {p["row"] for p in job.problems if p["severity"] == "error"} == {3}
    assert job.skipped_rows == []


def test_two_columns_with_the_same_header_are_refused_naming_both(world, upload, login):
    rows = [
        ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Họ và tên"],
        [1, "Nguyễn Thị An", "Nữ", "02/01/1981", "Nguyễn Thị Ân"],
    ]
    people = Person.objects.count()
    job = upload(build_xlsx(rows))
    assert job.status == ImportJob.Status.FAILED and Person.objects.count() == people
    assert job.message == (
        "Dòng tiêu đề không rõ ràng: cột B (“Họ và tên”), cột E (“Họ và tên”) cùng là “Họ và tên”. Mỗi thông "
        "tin chỉ được lấy từ một cột: hãy xoá hoặc đổi tên các cột còn lại rồi tải tệp lên lần nữa."
    )


def test_two_differently_named_columns_meaning_the_same_are_refused_too(world, upload):
    rows = [["STT", "Họ và tên", "Giới tính", "Số CCCD", "Số định danh cá nhân"], [1, "An", "Nữ", "1", "2"]]
    job = upload(build_xlsx(rows))
    assert job.status == ImportJob.Status.FAILED
    assert "cột D (“Số CCCD”), cột E (“Số định danh cá nhân”)" in job.message


def test_a_list_typed_in_vni_is_recognised_and_converted(world, upload, login):
    header = [encode_vni(h) for h in HEADER]
    people = [
        [1, encode_vni("Nguyễn Thị Hương"), encode_vni("Nữ"), "02/01/1981", encode_vni("Mường"), "001181012345"],
        [2, encode_vni("Đặng Văn Tuấn"), "Nam", "03/01/1982", encode_vni("Tày"), "001082012346"],
    ]
    assert header[1] == "Hoï vaø teân" and people[0][1] == "Nguyeãn Thò Höông"
    job = upload(build_xlsx([[encode_vni("DANH SÁCH GIÁO VIÊN")], header, *people]))
    assert (job.status, job.encoding, job.created_count) == (ImportJob.Status.DONE, "vni", 2)
    huong = Person.objects.get(personal_id="001181012345")
    assert (huong.full_name, huong.gender, huong.ethnicity.name) == ("Nguyễn Thị Hương", "F", "Mường")
    assert Person.objects.get(personal_id="001082012346").full_name == "Đặng Văn Tuấn"
    html = login(world.users["principal_a1"]).get(job.get_absolute_url()).content.decode()
    assert "Tệp được gõ bằng bảng mã cũ VNI (VNI-Times) và đã được chuyển sang Unicode." in html


def test_a_file_that_inflates_hugely_fails_with_the_size_message(world, upload, settings):
    from bdtx.core.tests import hostile

    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 2**20
    job = upload(hostile.shared_strings_bomb_xlsx(count=20_000, length=1000))
    assert job.status == ImportJob.Status.FAILED and "Khi giải nén, tệp chứa hơn 8 MB" in job.message
    assert "lỗi không mong muốn" not in job.message
