"""Base .xlsx writer: exporters yield rows, this writes them with XlsxWriter in constant memory.

Every workbook the system writes is opened with `new_workbook`: XlsxWriter never turns a text that
looks like a formula ("=HYPERLINK(…)") or an address into a live formula or link. A text that
starts with = + - @ (or a tab or a carriage return) is moreover written with Excel's quote prefix
(`TextWriter`), so it stays text even when someone edits the cell and presses Enter: a name typed
into a form or a file cannot become a formula in the office that opens the export.
"""

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Never guess: text stays text (formulas, links and numbers are only what the code writes as such).
WORKBOOK_OPTIONS: dict[str, Any] = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def new_workbook(path: str | Path, **options: Any) -> xlsxwriter.Workbook:
    """An XlsxWriter workbook that writes every string as text (see the module's docstring)."""
    return xlsxwriter.Workbook(str(path), {**options, **WORKBOOK_OPTIONS})


def is_formula_like(value: object) -> bool:
    """Text a spreadsheet would read as a formula (or a DDE command) if it were typed in."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


class TextWriter:
    """Writes the cells of one workbook, giving formula-like text Excel's quote prefix: the text is
    kept exactly as it is, Excel shows it, and keeps it as text when the cell is edited.

    Formats are made with `format(props)`, which also makes their quoted twin."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self._quoted: dict[int, Any] = {0: wb.add_format({"quote_prefix": True})}  # id(format) → its twin

    def format(self, props: dict[str, Any]) -> Any:
        fmt = self.wb.add_format(props)
        self._quoted[id(fmt)] = self.wb.add_format({**props, "quote_prefix": True})
        return fmt

    def _twin(self, fmt: Any) -> Any:
        return self._quoted[id(fmt) if fmt is not None else 0]

    def write(self, ws: Any, row: int, col: int, value: Any, fmt: Any = None) -> None:
        """`ws.write`, except that formula-like text is written as quoted text."""
        if is_formula_like(value):
            ws.write_string(row, col, value, self._twin(fmt))
        else:
            ws.write(row, col, value, fmt)

    def write_string(self, ws: Any, row: int, col: int, value: str, fmt: Any = None) -> None:
        ws.write_string(row, col, value, self._twin(fmt) if is_formula_like(value) else fmt)


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 12
    kind: str = "auto"  # "date": dd/mm/yyyy; "text": kept as text (ID numbers, phones keep leading zeros)


def write_xlsx(
    *, title: str, subtitle: str, columns: list[Column], rows: Iterable[list[Any]], sheet: str = "Danh sach"
) -> bytes:
    """Title rows, a bold frozen header, then the rows; dates as real Excel dates shown dd/mm/yyyy."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.xlsx"
        _write(path, title=title, subtitle=subtitle, columns=columns, rows=rows, sheet=sheet)
        return path.read_bytes()


def _write(
    path: Path, *, title: str, subtitle: str, columns: list[Column], rows: Iterable[list[Any]], sheet: str
) -> None:
    wb = new_workbook(path, constant_memory=True, tmpdir=str(path.parent))
    cells = TextWriter(wb)
    ws = wb.add_worksheet(sheet[:31])
    bold = cells.format({"bold": True, "font_size": 13})
    head = cells.format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = cells.format({"num_format": "@"})
    cells.write(ws, 0, 0, title, bold)
    cells.write(ws, 1, 0, subtitle)
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        cells.write(ws, 3, c, col.title, head)
    ws.freeze_panes(4, 0)
    r = 4
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            kind = columns[c].kind
            if value is None or value == "":
                continue
            if kind == "date" and isinstance(value, date):
                ws.write_datetime(r, c, value, date_fmt)
            elif kind == "text":
                cells.write_string(ws, r, c, str(value), text_fmt)
            else:
                cells.write(ws, r, c, value)
    ws.autofilter(3, 0, max(r, 4), len(columns) - 1)
    wb.close()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
