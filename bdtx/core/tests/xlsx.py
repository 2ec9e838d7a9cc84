"""Build .xlsx files for import tests the way office workers make them: title rows, merged headers, mess."""

import io
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import xlsxwriter

from bdtx.core.importing.legacy import encode as tcvn3

__all__ = ["build_xlsx", "nfd", "tcvn3"]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def build_xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[tuple[int, int, int, int, str]] = (),
    sheet: str = "DS",
    start_row: int = 0,
    extra_sheets: Sequence[str] = (),
) -> bytes:
    """rows[i] goes to Excel row start_row+i+1; a date is written as a real Excel date; None skips a cell.

    merges: (first_row, first_col, last_row, last_col, text), 0-based, written before the rows.
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": datetime(2025, 9, 5, 7, 30)})  # the same bytes every time
    for name in extra_sheets:
        wb.add_worksheet(name).write(0, 0, "Ghi chú")
    ws = wb.add_worksheet(sheet)
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r1, c1, r2, c2, text in merges:
        ws.merge_range(r1, c1, r2, c2, text)
    for i, row in enumerate(rows):
        for c, value in enumerate(row):
            r = start_row + i
            if value is None:
                continue
            if isinstance(value, date):
                ws.write_datetime(r, c, value, datefmt)
            elif isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)
    wb.close()
    return buf.getvalue()
