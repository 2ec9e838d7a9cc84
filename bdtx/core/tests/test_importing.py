"""The reader every import uses: cell values, TCVN3, the upload check, and the importer registry."""

import io
import zipfile
from datetime import date

import pytest

from bdtx.core.importing import base as importing
from bdtx.core.importing import legacy
from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.bounds import inspect_xlsx
from bdtx.core.importing.parsing import as_date, as_digits, column_letter
from bdtx.core.tests import hostile
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


# --- VNI, and telling the encodings apart ------------------------------------------------------

LETTERS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


def test_the_vni_table_covers_every_vietnamese_letter_in_both_cases():
    for text in (LETTERS, LETTERS.upper()):
        assert legacy.decode_vni(legacy.encode_vni(text)) == text
    assert len({legacy.encode_vni(ch) for ch in LETTERS}) == len(LETTERS)  # no two letters share a spelling


@pytest.mark.parametrize(
    ("vni_text", "unicode_text"),
    [
        ("Nguyeãn Thò Hoa", "Nguyễn Thị Hoa"),
        ("Ñaëng Vaên Tuaán", "Đặng Văn Tuấn"),
        ("Höông", "Hương"),
        ("Tröôøng Tieåu hoïc", "Trường Tiểu học"),
        ("Hoï vaø teân", "Họ và tên"),
        ("NGUYEÃN THÒ HOA", "NGUYỄN THỊ HOA"),
        ("Nguyeãn Aùnh", "Nguyễn Ánh"),  # a capital typed with Shift alone keeps its mark in lower case
    ],
)
def test_vni_text_is_recognised_and_converted(vni_text, unicode_text):
    assert legacy.guess(vni_text) == legacy.VNI
    assert legacy.decode_vni(vni_text) == unicode_text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("NguyÔn ThÞ Hoa", legacy.TCVN3),
        ("TrÇn V¨n §Æng", legacy.TCVN3),
        ("Nguyeãn Thò Hoa", legacy.VNI),
        ("Daân toäc", legacy.VNI),
        ("Nguyễn Thị Hoa", ""),
        ("Hoà", ""),  # Unicode that reads as VNI "Hồ" too: the text as it is wins a tie
        ("Lê", ""),
        ("plain", ""),
    ],
)
def test_each_text_tells_its_encoding_by_the_syllables_it_makes(text, encoding):
    assert legacy.guess(text) == encoding


def test_a_file_is_in_the_encoding_most_of_its_texts_choose():
    vni = [legacy.encode_vni(t) for t in ("Họ và tên", "Nguyễn Thị Hoa", "Mường", "Tày", "Nữ")]
    assert legacy.file_encoding(vni) == legacy.VNI
    assert legacy.file_encoding([legacy.encode(t) for t in ("Họ và tên", "Nguyễn Thị Hoa", "Mường")]) == legacy.TCVN3
    assert legacy.file_encoding(["Nguyễn Thị Hoa", "Hoà", *vni[:1]]) == ""


def test_text_mixing_vni_and_unicode_cannot_be_decoded():
    with pytest.raises(legacy.LegacyTextError):
        legacy.decode_vni("Nguyeãn Thị")


@pytest.mark.parametrize(
    ("row", "kind"),
    [
        ([None, "Cộng tổ Toán: 12 người"], "total"),
        (["Tổng số", None, 45], "total"),
        (["Tổng cộng toàn trường"], "total"),
        ([None, "Người lập biểu", None, "HIỆU TRƯỞNG"], "signature"),
        ([None, "Đông Hưng, ngày 5 tháng 9 năm 2025"], "signature"),
        (["Ví dụ", "Nguyễn Văn A", "Nam", "01/01/1980"], "example"),
        (["II", "Trường Tiểu học Đông"], "section"),
        ([None, "Tổng phụ trách Đội"], None),  # a post, not a total
        ([None, "Cộng tổ Toán", None, "01/01/1980"], None),  # a date of birth: a person
    ],
)
def test_rows_that_are_not_people_are_told_apart_wherever_they_are(row, kind):
    from bdtx.core.importing.parsing import _skip_kind

    keys = ["stt", "full_name", "gender", "date_of_birth"]
    values = {k: v for k, v in zip(keys, row, strict=False) if v is not None}
    assert _skip_kind(row, values, "", in_footer=False) == kind


# --- the upload check ----------------------------------------------------------------------------


def test_rows_are_counted_from_the_cells_not_from_what_the_sheet_declares():
    content = build_xlsx(
        [["DANH SÁCH"], ["Năm học 2025-2026"], [], ["STT", "Họ và tên"], *[[i, "A"] for i in range(3)]]
    )
    facts = inspect_xlsx(io.BytesIO(content))
    assert (facts.rows, facts.complete) == (7, True) and facts.inflated > 0
    lying = hostile.many_rows_xlsx(40)  # declares <dimension ref="A1:F3"/>
    assert inspect_xlsx(io.BytesIO(lying)).rows == 41


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
    assert sorted(importing.keys()) == ["catalog", "historic_results", "lms_results", "scores", "staff", "temis"]
    assert [type(i).__module__ for i in importing.all()] == [
        "bdtx.people.importers",
        "bdtx.standards.importers",
        "bdtx.catalog.importers",
        "bdtx.training.importers",
        "bdtx.training.importers",
        "bdtx.results.importers",
    ]
    with pytest.raises(KeyError):
        importing.get("nothing")


def test_a_second_importer_for_a_kind_is_refused():
    class Impostor(importing.Importer):  # type: ignore[type-arg]
        key = "staff"

    with pytest.raises(ValueError):
        importing.register(Impostor())
