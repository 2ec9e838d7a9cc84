"""Base .xlsx writer: exporters yield rows, this writes them with XlsxWriter in constant memory."""

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import xlsxwriter
from django.http import HttpResponse

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "tmpdir": str(path.parent)})
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True, "font_size": 13})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    text_fmt = wb.add_format({"num_format": "@"})
    ws.write(0, 0, title, bold)
    ws.write(1, 0, subtitle)
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width)
        ws.write(3, c, col.title, head)
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
                ws.write_string(r, c, str(value), text_fmt)
            else:
                ws.write(r, c, value)
    ws.autofilter(3, 0, max(r, 4), len(columns) - 1)
    wb.close()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
