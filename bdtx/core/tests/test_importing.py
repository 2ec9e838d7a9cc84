"""The reader every import uses: cell values, TCVN3, the upload check, and the importer registry."""

import io
import zipfile
from datetime import date

import pytest

from bdtx.core.importing import base as importing
from bdtx.core.importing import legacy
from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.parsing import as_date, as_digits, column_letter, estimate_rows, inspect_xlsx
from bdtx.core.tests.xlsx import build_xlsx, nfd


def test_column_letters_follow_excel():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]


# --- cell values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(1985, 3, 4), date(1985, 3, 4)),
        ("04/03/1985", date(1985, 3, 4)),
        ("4/3/1985", date(1985, 3, 4)),
        ("04-03-1985", date(1985, 3, 4)),
        ("04.03.1985", date(1985, 3, 4)),
        ("1985-03-04", date(1985, 3, 4)),
        (31110.0, date(1985, 3, 4)),
        ("", None),
    ],
)
def test_dates_are_read_from_excel_dates_serials_and_day_first_text(value, expected):
    assert as_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/1990", "03/25/1985", "4/3/85", "năm 1985", "1985"])
def test_dates_that_are_impossible_or_ambiguous_are_refused(value):
    with pytest.raises(ValueError):
        as_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4085012345.0, "4085012345"),
        (40123456789, "40123456789"),
        ("4012345678.0", "4012345678"),
        ("4.0123e10", "40123000000"),
        ("001 085 012 345", "001085012345"),
        ("001.085.012.345", "001085012345"),
        ("12ab", "12ab"),
    ],
)
def test_numbers_typed_into_id_cells_become_digits(value, expected):
    assert as_digits(value) == expected


# --- TCVN3 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("legacy_text", "unicode_text"),
    [
        ("NguyÔn ThÞ Hoa", "Nguyễn Thị Hoa"),
        ("TrÇn V¨n §Æng", "Trần Văn Đặng"),
        ("D\xad¬ng", "Dương"),
        ("Tr\xadêng TiÓu häc", "Trường Tiểu học"),
        ("Kh¬-mó", "Khơ-mú"),
    ],
)
def test_tcvn3_text_is_converted_to_unicode(legacy_text, unicode_text):
    assert legacy.looks_legacy(legacy_text)
    assert legacy.decode(legacy_text) == unicode_text


def test_the_tcvn3_table_covers_every_vietnamese_letter_of_vn3():
    lower = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
    assert all(ch.isascii() or ch in legacy.TCVN3_TO_UNICODE.values() for ch in lower)
    assert legacy.decode(legacy.encode(lower), force=True) == lower


@pytest.mark.parametrize("text", ["Nguyễn Thị Hoa", "Hoà", "Lý", "plain ascii", nfd("Nguyễn")])
def test_unicode_text_is_left_alone(text):
    assert not legacy.looks_legacy(text)
    assert legacy.decode(text) == text


def test_text_mixing_tcvn3_and_unicode_cannot_be_decoded():
    with pytest.raises(legacy.LegacyTextError):
        legacy.decode("Nguyễn ThÞ")


# --- the upload check ----------------------------------------------------------------------------


def test_row_counts_are_estimated_from_the_sheet_dimension():
    content = build_xlsx(
        [["DANH SÁCH"], ["Năm học 2025-2026"], [], ["STT", "Họ và tên"], *[[i, "A"] for i in range(3)]]
    )
    assert estimate_rows(io.BytesIO(content)) == 7
    assert inspect_xlsx(io.BytesIO(content)) == 7


@pytest.mark.parametrize(
    "content",
    [b"STT;Ho va ten\n1;An\n", b"\xd0\xcf\x11\xe0 an old .xls", b"PK\x03\x04 not really a zip"],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_known_by_its_content(content):
    with pytest.raises(FileProblem):
        inspect_xlsx(io.BytesIO(content))


def test_a_zip_that_is_not_a_workbook_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileProblem):
        inspect_xlsx(buf)


# --- the registry -------------------------------------------------------------------------------


def test_every_app_registers_its_importer_once():
    assert sorted(importing.keys()) == ["catalog", "staff", "temis"]
    assert [type(i).__module__ for i in importing.all()] == [
        "bdtx.people.importers",
        "bdtx.standards.importers",
        "bdtx.catalog.importers",
    ]
    with pytest.raises(KeyError):
        importing.get("nothing")


def test_a_second_importer_for_a_kind_is_refused():
    class Impostor(importing.Importer):  # type: ignore[type-arg]
        key = "staff"

    with pytest.raises(ValueError):
        importing.register(Impostor())
