"""The staff list importer: header variants, reading messy files, and checking rows (no database needed)."""

import io
import unicodedata
from datetime import date

import pytest
from django.utils import translation

from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.parsing import match_field, normalise_header, read_table
from bdtx.core.tests.xlsx import build_xlsx, nfd, tcvn3
from bdtx.people.importers import (
    FIELDS,
    NAME_KEYS,
    StaffCheckContext,
    UnitRef,
    check_row,
    duplicate_id_problems,
    file_problems,
    title_name,
)
from bdtx.people.selectors import ethnicity_key
from bdtx.people.tests.staff_files import MESSY_HEADER_ROWS, clean_staff_file, messy_staff_file


def _table(content: bytes):  # type: ignore[no-untyped-def]
    return read_table(io.BytesIO(content), FIELDS, required_any=NAME_KEYS)


def _key(header: str) -> str | None:
    return match_field(normalise_header(header), FIELDS)


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("Họ và tên giáo viên", "full_name"),
        ("HỌ VÀ TÊN CÁN BỘ, GIÁO VIÊN", "full_name"),
        ("Họ và tên đệm", "family_middle"),
        ("Tên", "given_name"),
        ("Ngày sinh", "date_of_birth"),
        ("Ngày, tháng, năm sinh", "date_of_birth"),
        ("Ngày tháng năm sinh", "date_of_birth"),
        ("Số định danh cá nhân (CCCD)", "personal_id"),
        ("Số định danh", "personal_id"),
        ("Số CCCD", "personal_id"),
        ("CCCD", "personal_id"),
        ("Số CMND/CCCD", "personal_id"),
        ("Mã trường", "unit_code"),
        ("Mã đơn vị", "unit_code"),
        ("Số điện thoại", "phone"),
        ("E-mail", "email"),
        ("GV cốt cán", "is_mentor"),
        ("Biên chế/Hợp đồng", "contract_type"),
        ("Môn giảng dạy", "subjects"),
        ("Giới tính", "gender"),
        ("Nữ", "gender_female"),
        (nfd("Dân tộc"), "ethnicity"),
        (tcvn3("Họ và tên"), "full_name"),
        ("Vùng khó khăn", "difficult_area"),
        ("VÙNG KHÓ KHĂN", "difficult_area"),
        ("Vùng KK", "difficult_area"),
        ("VKK", "difficult_area"),
        ("Công tác tại vùng khó khăn", "difficult_area"),
        ("Vùng đặc biệt khó khăn", "difficult_area"),
        (tcvn3("Vùng khó khăn"), "difficult_area"),
        ("Difficult area", "difficult_area"),  # the staff export in English
    ],
)
def test_header_variants_name_the_same_column(header, key):
    assert _key(header) == key


@pytest.mark.parametrize(
    "header", ["Ngày cấp CCCD", "Nơi sinh", "Tên trường", "Ghi chú", "Nữ dân tộc", "Hoàn cảnh khó khăn", ""]
)
def test_look_alike_headers_are_not_taken_for_known_columns(header):
    assert _key(header) is None


# --- reading a messy file ----------------------------------------------------------------------


def test_the_header_is_found_below_title_rows_and_merged_over_two_rows():
    layout = _table(messy_staff_file()).layout
    assert layout.header_rows == MESSY_HEADER_ROWS
    got = {c.key: c.letter for c in layout.columns}
    assert got == {
        "stt": "A",
        "family_name": "B",
        "middle_name": "C",
        "given_name": "D",
        "dob_male": "E",
        "dob_female": "F",
        "ethnicity": "G",
        "personal_id": "H",
        "unit_code": "I",
        "position": "J",
    }
    assert layout.ignored == ["Ghi chú"]
    assert not layout.legacy


def test_blank_rows_column_numbers_totals_and_signatures_are_not_data():
    rows = list(_table(messy_staff_file()).rows)
    assert [r.number for r in rows] == [8, 9, *range(11, 20)]


def test_text_is_normalised_to_nfc_and_tcvn3_names_are_decoded():
    rows = {r.number: r for r in _table(messy_staff_file()).rows}
    assert rows[9].values["given_name"] == "Bình"
    assert unicodedata.is_normalized("NFC", rows[9].values["family_name"])
    assert (rows[12].values["family_name"], rows[12].values["given_name"]) == ("Đặng", "Hương")


def test_a_whole_file_in_tcvn3_is_recognised_and_converted():
    header = [tcvn3(h) for h in ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc")]
    people = [[1, tcvn3("Nguyễn Thị Hoà"), tcvn3("Nữ"), "01/02/1980", tcvn3("Mường")], [2, "Lß V¨n Tó", "Nam"]]
    table = _table(build_xlsx([[tcvn3("DANH SÁCH GIÁO VIÊN")], header, *people]))
    assert table.layout.legacy
    rows = list(table.rows)
    assert rows[0].values["full_name"] == "Nguyễn Thị Hoà"
    assert rows[0].values["ethnicity"] == "Mường"
    # "Tó" carries no telltale character of its own; in a TCVN3 file it is "Tú".
    assert rows[1].values["full_name"] == "Lò Văn Tú"


def test_a_row_mixing_tcvn3_and_unicode_is_flagged_not_guessed():
    content = build_xlsx([["STT", "Họ và tên", "Giới tính", "Ngày sinh"], [1, "Nguyễn ThÞ Hoa", "Nữ", "01/01/1980"]])
    (row,) = list(_table(content).rows)
    assert row.undecodable == ["full_name"]


def test_the_first_sheet_with_a_table_is_used():
    content = build_xlsx([["Họ và tên", "Giới tính", "Ngày sinh"], ["An Văn Bình", "Nam"]], extra_sheets=["Bìa"])
    assert _table(content).layout.sheet == "DS"


def test_a_file_that_is_not_xlsx_is_refused_with_a_message():
    with pytest.raises(FileProblem):
        _table(b"STT;Ho va ten\n1;An\n")
    with pytest.raises(FileProblem):
        _table(b"PK\x03\x04 not really a zip")


def test_a_sheet_without_a_recognisable_header_is_refused():
    with pytest.raises(FileProblem):
        _table(build_xlsx([["Cột 1", "Cột 2"], ["a", "b"]]))


# --- checking rows -----------------------------------------------------------------------------

ETHNICITIES = {ethnicity_key(n): c for n, c in [("Kinh", "01"), ("Tày", "02"), ("H'Mông", "08"), ("Khơ me", "05")]}


SCHOOL = UnitRef(1, "/1/", ("TH",))


def _checked(content: bytes, *, default_unit: UnitRef | None = SCHOOL):  # type: ignore[no-untyped-def]
    table = _table(content)
    ctx = StaffCheckContext(
        layout=table.layout, ethnicities=ETHNICITIES, default_unit=default_unit, today=date(2025, 9, 1)
    )
    return table.layout, {c.row: c for c in (check_row(r, ctx) for r in table.rows)}


def test_rows_become_records_with_padded_ids_and_mapped_values():
    _layout, rows = _checked(messy_staff_file())
    first = rows[8].record
    assert (first.family_name, first.middle_name, first.given_name) == ("Nguyễn", "Văn", "An")
    assert (first.gender, first.date_of_birth, first.personal_id) == ("M", date(1985, 3, 4), "004085012345")
    assert rows[9].record.gender == "F" and rows[9].record.ethnicity_code == "08"
    assert rows[9].record.position == "to_truong"
    assert rows[11].record.personal_id == "040188012345" and rows[11].record.ethnicity_code == "05"
    assert rows[11].record.position == "pho_hieu_truong" and rows[11].record.staff_type == "CBQL"
    assert rows[12].record.ethnicity_code == "02"


def test_each_bad_cell_is_reported_with_its_row_and_field():
    _layout, rows = _checked(messy_staff_file())
    assert [(p.key, p.code) for p in rows[13].problems] == [("personal_id", "personal_id.invalid")]
    assert [(p.key, p.code) for p in rows[14].problems] == [("dob_male", "date.invalid")]
    assert [(p.key, p.code) for p in rows[15].problems] == [("ethnicity", "ethnicity.unknown")]
    assert [(p.key, p.code) for p in rows[17].problems] == [("given_name", "name.given_missing")]
    assert rows[16].unit_code == "KHONG-CO"


def test_the_same_id_twice_in_a_file_is_an_error_on_both_rows():
    _layout, rows = _checked(messy_staff_file())
    assert sorted(p.row for p in duplicate_id_problems(list(rows.values()))) == [8, 18]


def test_a_file_without_a_unit_column_needs_a_school_chosen_on_the_form():
    layout, _rows = _checked(clean_staff_file(unit_code=None), default_unit=None)
    assert [p.code for p in file_problems(layout, default_unit=None)] == ["unit.column_missing"]
    assert file_problems(layout, default_unit=UnitRef(1, "/1/")) == []


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"Giới tính": "Không rõ"}, "gender.invalid"),
        ({"Giới tính": ""}, "gender.missing"),
        ({"Ngày sinh": "01/01/1900"}, "date.implausible"),
        ({"Điện thoại": "12-34"}, "phone.invalid"),
        ({"Email": "hoa@"}, "email.invalid"),
        ({"Chức vụ": "Bảo vệ"}, "position.invalid"),
        ({"Cốt cán": "có lẽ"}, "is_mentor.invalid"),
        ({"Loại hợp đồng": "Thời vụ"}, "contract_type.invalid"),
        ({"Cấp học": "Đại học"}, "school_level.invalid"),
    ],
)
def test_values_outside_the_allowed_lists_are_errors(cells, code):
    base = {"STT": 1, "Họ và tên": "Nguyễn Văn An", "Giới tính": "Nam", "Ngày sinh": "01/01/1980"}
    base.update(cells)
    _layout, rows = _checked(build_xlsx([list(base), list(base.values())]))
    assert [p.code for p in rows[2].problems] == [code]


def test_values_are_read_tolerantly():
    header = ["Họ tên", "Giới tính", "Điện thoại", "Chức vụ", "Cốt cán", "Loại hợp đồng", "Cấp học"]
    row = ["NGUYỄN văn an", "nữ", 912345678, "Giáo viên chủ nhiệm", "x", "HĐ68", "thcs"]
    _layout, rows = _checked(build_xlsx([header, row]))
    r = rows[2].record
    assert (r.family_name, r.middle_name, r.given_name) == ("Nguyễn", "Văn", "An")
    assert (r.gender, r.phone, r.position, r.is_mentor, r.contract_type, r.school_level) == (
        "F",
        "0912345678",
        "giao_vien",
        True,
        "hop_dong",
        "THCS",
    )


def test_a_lone_female_column_marks_women_and_leaves_men_blank():
    content = build_xlsx([["Họ và tên", "Nữ", "Ngày sinh"], ["Lê Thị Hoa", "x", "01/01/1980"], ["Lê Văn Nam", None]])
    _layout, rows = _checked(content)
    assert (rows[2].record.gender, rows[3].record.gender) == ("F", "M")


def test_names_get_a_capital_on_every_word():
    assert title_name("NGUYỄN THỊ HOA") == "Nguyễn Thị Hoa"
    assert title_name("ánh") == "Ánh"
    assert title_name("McLean") == "McLean"


def test_a_cell_that_cannot_be_decoded_is_refused_with_its_own_error():
    content = build_xlsx([["STT", "Họ và tên", "Giới tính", "Ngày sinh"], [1, "Nguyễn ThÞ Hoa", "Nữ", "01/01/1980"]])
    _layout, rows = _checked(content)
    assert [(p.key, p.code) for p in rows[2].problems] == [("full_name", "text.undecodable")]
    assert rows[2].record is None


# --- difficult area (vùng khó khăn) ---------------------------------------------------------------


def _area_rows(header: str, *values: object):  # type: ignore[no-untyped-def]
    """Rows 2, 3, … of a file with `header` over `values`: Excel row number → checked row."""
    base = ["Họ và tên", "Giới tính", header]
    rows = [["Nguyễn Văn An", "Nam", v] for v in values]
    return _checked(build_xlsx([base, *rows]))


@pytest.mark.parametrize("header", ["Vùng khó khăn", "Vùng KK", "VKK"])
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", True),
        ("X", True),
        ("có", True),
        ("Có", True),
        ("CÓ", True),
        (1, True),
        ("1", True),
        (True, True),  # an Excel TRUE cell
        ("true", True),
        ("không", False),
        ("Không", False),
        ("0", False),
        (0, False),
        (False, False),  # an Excel FALSE cell
        (None, None),  # empty: as the unit, not "no"
        ("  ", None),
        ("Có (theo đơn vị)", None),  # what the staff export writes for a person counted by their unit
        ("Yes (as the unit)", None),
    ],
)
def test_the_difficult_area_column_reads_yes_no_or_as_the_unit(header, value, expected):
    layout, rows = _area_rows(header, value)
    assert layout.has("difficult_area")
    r = rows[2]
    assert r.problems == [] and r.record.difficult_area is expected
    assert r.record.keeps_difficult_area is False  # the file says it: written, even when empty


def test_an_unknown_difficult_area_value_is_an_error_naming_the_row_column_and_value():
    _layout, rows = _area_rows("Vùng khó khăn", "x", "có lẽ")
    assert rows[2].problems == []
    [problem] = rows[3].problems
    assert (problem.row, problem.key, problem.value, problem.code) == (
        3,
        "difficult_area",
        "có lẽ",
        "difficult_area.invalid",
    )
    assert rows[3].record is None


def test_the_unknown_difficult_area_message_is_in_vietnamese():
    with translation.override("vi"):
        _layout, rows = _area_rows("VKK", "hơi khó")
    [problem] = rows[2].problems
    assert problem.message.startswith("Ghi “x” (hoặc “Có”)") and "để trống" in problem.message


def test_a_file_without_the_difficult_area_column_leaves_the_value_as_it_is():
    content = build_xlsx([["Họ và tên", "Giới tính", "Ngày sinh"], ["Nguyễn Văn An", "Nam", "01/01/1980"]])
    layout, rows = _checked(content)
    assert not layout.has("difficult_area")
    assert rows[2].record.difficult_area is None and rows[2].record.keeps_difficult_area is True
