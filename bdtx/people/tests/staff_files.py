"""Staff lists for import tests: a tidy one in the template's shape, and a messy one with bad rows."""

from datetime import date
from typing import Any

from bdtx.core.tests.xlsx import build_xlsx, nfd, tcvn3

# The messy file: Excel rows 1-3 titles, 5-6 a two-row merged header, 7 column numbers, data from 8.
MESSY_HEADER_ROWS = (5, 6)
MESSY_VALID_ROWS = (9, 11, 12)
MESSY_ERRORS = [  # (Excel row, column letter, code)
    (8, "H", "personal_id.duplicate"),
    (13, "H", "personal_id.invalid"),
    (14, "E", "date.invalid"),
    (15, "G", "ethnicity.unknown"),
    (16, "I", "unit.unknown"),
    (17, "D", "name.given_missing"),
    (18, "H", "personal_id.duplicate"),
    (19, "I", "unit.unknown"),
]


def messy_staff_file() -> bytes:
    """A school's real-looking list: every kind of mess the importer must cope with, and bad rows."""
    merges = [
        (2, 0, 2, 10, "DANH SÁCH CÁN BỘ, GIÁO VIÊN NĂM HỌC 2025-2026"),
        (4, 0, 5, 0, "STT"),
        (4, 1, 4, 3, "Họ và tên"),
        (4, 4, 4, 5, "Ngày tháng năm sinh"),
        (4, 6, 5, 6, "Dân tộc"),
        (4, 7, 5, 7, "Số CCCD"),
        (4, 8, 5, 8, "Mã trường"),
        (4, 9, 5, 9, "Chức vụ"),
        (4, 10, 5, 10, "Ghi chú"),
    ]
    rows: list[list[Any]] = [
        ["UBND XÃ ĐÔNG"],  # 1
        ["TRƯỜNG TIỂU HỌC ĐÔNG"],  # 2
        [],  # 3 (merged title)
        [],  # 4
        [],  # 5 header (merged cells)
        [None, "Họ", "Tên đệm", "Tên", "Nam", "Nữ"],  # 6 sub-header
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"],  # 7
        # 8: ID typed as a number (leading zeros lost), Excel date in the "Nam" column
        [1, "Nguyễn", "Văn", "An", date(1985, 3, 4), None, "Kinh", 4085012345, "TH-A1", "Giáo viên"],
        # 9: decomposed Unicode, text date in the "Nữ" column, ethnicity variant, no unit code
        [2, nfd("Trần"), nfd("Thị"), nfd("Bình"), None, "12/05/1990", "H'Mông", "001190012345", None, "Tổ trưởng"],
        [],  # 10 blank
        # 11: d/m/yyyy, 11-digit ID as a float, "Khơ me"
        [3, "Lê", "Thị", "Cúc", None, "5/9/1988", "Khơ me", 40188012345.0, "th-a1", "Phó hiệu trưởng"],
        # 12: a name typed in TCVN3 (.VnTime), "dân tộc Tày", ID as text with ".0"
        [4, tcvn3("Đặng"), tcvn3("Thị"), tcvn3("Hương"), None, date(1992, 1, 2), "dân tộc Tày", "001192012345.0"],
        [5, "Phạm", "Văn", "Dũng", date(1980, 1, 1), None, "Kinh", "12345"],  # 13 invalid ID
        [6, "Hoàng", "Văn", "Em", "31/02/1990", None, "Kinh"],  # 14 impossible date
        [7, "Vũ", "Thị", "Giang", None, date(1991, 6, 1), "Xyz"],  # 15 unknown ethnicity
        [8, "Đỗ", "Văn", "Hải", date(1982, 2, 2), None, "Kinh", None, "KHONG-CO"],  # 16 unknown unit
        [9, "Bùi", "Văn", None, date(1983, 3, 3), None, "Kinh"],  # 17 no given name
        [10, "Ngô", "Văn", "Khoa", date(1985, 4, 4), None, "Kinh", "004085012345"],  # 18 same ID as row 8
        [11, "Lý", "Thị", "Lan", None, date(1987, 5, 5), "Kinh", None, "TH-B1"],  # 19 another province
        ["Tổng cộng", "11 người"],  # 20 totals
        [],
        [None, "Người lập biểu", None, None, None, None, None, "HIỆU TRƯỞNG"],  # 22 signature block
    ]
    return build_xlsx(rows, merges=merges)


def clean_staff_file(*, phone: str = "0912000001", unit_code: str | None = "TH-A1") -> bytes:
    """A tidy file in the template's shape, three people."""
    header = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh cá nhân (CCCD)", "Điện thoại"]
    if unit_code is not None:
        header.append("Mã trường")
    people = [
        [1, "Nguyễn Thị Minh Hoa", "Nữ", "05/09/1985", "Kinh", "001185012345", phone],
        [2, "Trần Văn Bình", "Nam", date(1979, 12, 1), "Tày", "004079012346", "0912000002"],
        [3, "Lò Thị Xuân", "Nữ", "01/01/1995", "Thái", "014195012347", "0912000003"],
    ]
    if unit_code is not None:
        for p in people:
            p.append(unit_code)
    return build_xlsx([["DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN"], ["Năm học 2025-2026"], [], header, *people])
