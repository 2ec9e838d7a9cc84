"""Staff list export (rows only; the .xlsx writer lives in core.exporters) and the staff import template."""

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column, TextWriter, new_workbook
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import ContractType, Employment, Position


def staff_columns(*, sensitive: bool) -> list[Column]:
    cols = [
        Column(_("No."), 6),
        Column(_("Family name"), 14),
        Column(_("Middle name"), 14),
        Column(_("Given name"), 10),
        Column(_("Gender"), 8),
        Column(_("Date of birth"), 12, "date"),
    ]
    if sensitive:
        cols += [Column(_("Ethnicity"), 12), Column(_("Personal ID number"), 16, "text")]
    cols += [
        Column(_("Unit"), 36),
        Column(_("Position"), 18),
        Column(_("Teacher / manager"), 10),
        Column(_("School level"), 10),
        Column(_("Subjects"), 18),
        Column(_("Core teacher"), 8),
        Column(_("Difficult area"), 8),
        Column(_("Phone"), 14, "text"),
        Column(_("E-mail"), 26),
    ]
    return cols


def staff_rows(qs: QuerySet[Employment], *, sensitive: bool) -> Iterator[list[Any]]:
    yes = _("Yes")
    for n, e in enumerate(qs.iterator(chunk_size=2000), start=1):
        p = e.person
        row: list[Any] = [n, p.family_name, p.middle_name, p.given_name, p.get_gender_display(), p.date_of_birth]
        if sensitive:
            row += [p.ethnicity.name if p.ethnicity else "", p.personal_id or ""]
        row += [
            e.unit.name,
            e.get_position_display(),
            e.staff_type,
            e.school_level,
            e.subjects,
            yes if e.is_mentor else "",
            difficult_area_cell(e),
            p.phone,
            p.email,
        ]
        yield row


def difficult_area_cell(e: Employment) -> str:
    """The "Difficult area" cell as the staff import reads it back: "Có" / "Không" when set for the
    person, "Có (theo đơn vị)" when it comes from a unit in a difficult area, empty when it comes
    from one that is not (an empty cell imports as "as the unit")."""
    if e.difficult_area is not None:
        return _("Yes") if e.difficult_area else _("No")
    return _("Yes (as the unit)") if e.unit.difficult_area else ""


# --- the staff import template ----------------------------------------------------------------

# Headers of the template, in order: (field key, header text, column width).
TEMPLATE_COLUMNS: list[tuple[str, str, int]] = [
    ("stt", "STT", 5),
    ("full_name", "Họ và tên", 26),
    ("gender", "Giới tính", 9),
    ("date_of_birth", "Ngày sinh", 12),
    ("ethnicity", "Dân tộc", 10),
    ("personal_id", "Số định danh cá nhân (CCCD)", 16),
    ("phone", "Điện thoại", 13),
    ("email", "Email", 24),
    ("unit_code", "Mã trường", 11),
    ("position", "Chức vụ", 16),
    ("school_level", "Cấp học", 11),
    ("subjects", "Môn dạy", 14),
    ("is_mentor", "Cốt cán", 8),
    ("contract_type", "Loại hợp đồng", 13),
    ("difficult_area", "Vùng khó khăn", 10),
]
# The values the template offers in its drop-down lists (the importer accepts many more spellings).
POSITION_LABELS: list[tuple[str, str]] = [
    (Position.TEACHER, "Giáo viên"),
    (Position.GROUP_HEAD, "Tổ trưởng chuyên môn"),
    (Position.GROUP_DEPUTY, "Tổ phó chuyên môn"),
    (Position.YOUTH_LEADER, "Tổng phụ trách Đội"),
    (Position.VICE_PRINCIPAL, "Phó hiệu trưởng"),
    (Position.PRINCIPAL, "Hiệu trưởng"),
    (Position.VICE_DIRECTOR, "Phó giám đốc"),
    (Position.DIRECTOR, "Giám đốc"),
]
LEVEL_LABELS: list[tuple[str, str]] = [
    (SchoolLevel.MN, "Mầm non"),
    (SchoolLevel.TH, "Tiểu học"),
    (SchoolLevel.THCS, "THCS"),
    (SchoolLevel.THPT, "THPT"),
    (SchoolLevel.GDTX, "GDTX"),
]
CONTRACT_LABELS: list[tuple[str, str]] = [(ContractType.CIVIL_SERVANT, "Biên chế"), (ContractType.CONTRACT, "Hợp đồng")]
DATA_SHEET = "Danh sách"
HELP_SHEET = "Hướng dẫn"
TEMPLATE_ROWS = 2000  # rows prepared with formats and drop-down lists
EXAMPLE_ID = "001185012345"  # well formed: Hà Nội, female born in 1985


def _column_help() -> dict[str, tuple[bool, str]]:
    """Field key → (required, what to write)."""
    return {
        "stt": (False, _("Row number. Rows whose number is “Ví dụ” are skipped.")),
        "full_name": (True, _("Family, middle and given name, e.g. Nguyễn Thị Minh Hoa.")),
        "gender": (True, _("Nam or Nữ.")),
        "date_of_birth": (False, _("Date as dd/mm/yyyy, e.g. 05/09/1985 (an Excel date is fine too).")),
        "ethnicity": (False, _("Name of the ethnic group, see the list on the right; common variants are accepted.")),
        "personal_id": (
            False,
            _("The 12-digit personal identification number (CCCD). Type it as text so leading zeros stay."),
        ),
        "phone": (False, _("Mobile or landline number, 10 digits.")),
        "email": (False, _("E-mail address.")),
        "unit_code": (
            False,
            _(
                "Code of the school or centre (list on the right). Without this column, the unit chosen on the "
                "upload form is used."
            ),
        ),
        "position": (False, _("Position, see the list on the right. Empty means teacher.")),
        "school_level": (False, _("School level, see the list on the right. Empty: the level of the school.")),
        "subjects": (False, _("Subjects taught, separated by commas.")),
        "is_mentor": (False, _("“x” for a core teacher (cốt cán), empty otherwise.")),
        "contract_type": (False, _("Biên chế or Hợp đồng. Empty means biên chế.")),
        "difficult_area": (
            False,
            _(
                "“x” if the person works in a difficult area though the school is not one (a satellite site in "
                "a difficult village), “Không” if they do not though the school is one. Empty: as the school."
            ),
        ),
    }


def staff_template_xlsx(
    *, units: list[tuple[str, str]], ethnicities: list[tuple[str, str]], school_year: str, unit_name: str
) -> bytes:
    """The .xlsx template: a data sheet with title rows, header and an example row, and a help sheet.

    The help sheet lists every allowed value; the data sheet offers them as drop-down lists.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        wb = new_workbook(path)
        fmt = _formats(wb)
        ws = wb.add_worksheet(DATA_SHEET)
        helps = wb.add_worksheet(HELP_SHEET)
        lists = _write_help(helps, fmt, TextWriter(wb), units=units, ethnicities=ethnicities)
        _write_data_sheet(ws, fmt, lists, units=units, school_year=school_year, unit_name=unit_name)
        ws.activate()
        wb.close()
        return path.read_bytes()


def _formats(wb: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
        "subtitle": wb.add_format({"italic": True, "align": "center"}),
        "head": wb.add_format(
            {
                "bold": True,
                "bg_color": "#DDEBF7",
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
            }
        ),
        "example": wb.add_format({"italic": True, "font_color": "#7F7F7F"}),
        "example_date": wb.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "dd/mm/yyyy"}),
        "example_text": wb.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@"}),
        "date": wb.add_format({"num_format": "dd/mm/yyyy"}),
        "text": wb.add_format({"num_format": "@"}),
        "bold": wb.add_format({"bold": True}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }


def _write_help(
    ws: Any,
    fmt: dict[str, Any],
    cells: TextWriter,
    *,
    units: list[tuple[str, str]],
    ethnicities: list[tuple[str, str]],
) -> dict[str, str]:
    """Write the help sheet; return the cell range of each list of allowed values, by field key."""
    ws.write(0, 0, _("How to fill in the staff list"), fmt["title"])
    ws.write(1, 0, _("Keep the header row. Title rows above it and extra columns are ignored. Dates as dd/mm/yyyy."))
    ws.write_row(3, 0, [_("Column"), _("Required"), _("What to write")], fmt["head"])
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 9)
    ws.set_column(2, 2, 60)
    helps = _column_help()
    for r, (key, header, _width) in enumerate(TEMPLATE_COLUMNS, start=4):
        required, text = helps[key]
        ws.write(r, 0, header, fmt["bold"])
        ws.write(r, 1, _("yes") if required else "")
        ws.write(r, 2, text, fmt["wrap"])
    columns = [
        ("gender", "Giới tính", [("", "Nam"), ("", "Nữ")]),
        ("position", "Chức vụ", [("", label) for _v, label in POSITION_LABELS]),
        ("school_level", "Cấp học", [("", label) for _v, label in LEVEL_LABELS]),
        ("contract_type", "Loại hợp đồng", [("", label) for _v, label in CONTRACT_LABELS]),
        ("is_mentor", "Cốt cán", [("", "x")]),
        ("difficult_area", "Vùng khó khăn", [("", "x"), ("", "Không")]),
        ("ethnicity", "Dân tộc", ethnicities),
        ("unit_code", "Mã trường", units),
    ]
    ranges: dict[str, str] = {}
    col = 4
    for key, title, values in columns:
        coded = any(code for code, _label in values)
        ws.write(3, col, title, fmt["head"])
        if coded:
            ws.write(3, col + 1, _("Name") if key == "unit_code" else _("Code"), fmt["head"])
        for r, (code, label) in enumerate(values, start=4):
            if key == "unit_code":  # units are named by their offices: text, never a formula
                cells.write_string(ws, r, col, code)
                cells.write_string(ws, r, col + 1, label)
            else:
                cells.write_string(ws, r, col, label)
                if coded:
                    cells.write_string(ws, r, col + 1, code)
        ws.set_column(col, col, 18 if key != "unit_code" else 12)
        if coded:
            ws.set_column(col + 1, col + 1, 30 if key == "unit_code" else 6)
        if values:
            letter = xlsxwriter.utility.xl_col_to_name(col)
            ranges[key] = f"='{HELP_SHEET}'!${letter}$5:${letter}${4 + len(values)}"
        col += 3 if coded else 2
    return ranges


def _write_data_sheet(
    ws: Any,
    fmt: dict[str, Any],
    lists: dict[str, str],
    *,
    units: list[tuple[str, str]],
    school_year: str,
    unit_name: str,
) -> None:
    last = len(TEMPLATE_COLUMNS) - 1
    ws.merge_range(0, 0, 0, last, "DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN", fmt["title"])
    ws.merge_range(1, 0, 1, last, f"Năm học {school_year} — {unit_name}", fmt["subtitle"])
    ws.set_row(3, 32)
    example: dict[str, Any] = {
        "stt": "Ví dụ",
        "full_name": "Nguyễn Thị Minh Hoa",
        "gender": "Nữ",
        "date_of_birth": date(1985, 9, 5),
        "ethnicity": "Kinh",
        "personal_id": EXAMPLE_ID,
        "phone": "0912345678",
        "email": "hoa.ntm@example.edu.vn",
        "unit_code": units[0][0] if units else "",
        "position": "Giáo viên",
        "school_level": "Tiểu học",
        "subjects": "Toán, Tiếng Việt",
        "is_mentor": "x",
        "contract_type": "Biên chế",
        "difficult_area": "",
    }
    for c, (key, header, width) in enumerate(TEMPLATE_COLUMNS):
        kind = "date" if key == "date_of_birth" else "text" if key in ("personal_id", "phone", "unit_code") else ""
        ws.set_column(c, c, width, fmt[kind] if kind else None)
        ws.write(3, c, header, fmt["head"])
        value = example[key]
        if kind == "date":
            ws.write_datetime(4, c, value, fmt["example_date"])
        elif kind == "text":
            ws.write_string(4, c, value, fmt["example_text"])
        else:
            ws.write(4, c, value, fmt["example"])
        if key in lists:
            ws.data_validation(
                5,
                c,
                4 + TEMPLATE_ROWS,
                c,
                {"validate": "list", "source": lists[key], "error_type": "warning", "ignore_blank": True},
            )
    ws.freeze_panes(4, 2)
