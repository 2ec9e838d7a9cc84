""".csv files for the importers that take them (`Importer.accepts_csv`: the LMS results, whose
platforms export .csv), read by the same pipeline as .xlsx: kept as uploaded, parsed by the worker
(or right after a small upload's request), never in the request itself.

A .csv is text, so its size is what it "inflates" to; it is bounded by the upload's size first,
then by the rows, cells and cell length of the import limits while it is read (FileProblem naming
the limit). UTF-8 (with or without BOM) or, failing that, Windows-1258; comma, semicolon or tab,
as sniffed from its start. Every row comes out as a list of strings ("" for an empty cell), as
calamine gives an .xlsx sheet's rows.
"""

import csv
import io
from typing import IO, Any

from bdtx.core import uploads
from bdtx.core.importing import bounds
from bdtx.core.importing.base import FileProblem

SHEET = "CSV"  # the "sheet" that problems and the job's layout name


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1258", errors="replace")


def _dialect(text: str) -> Any:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def read_rows(source: IO[bytes], *, limits: bounds.Limits | None = None) -> tuple[list[list[str]], bounds.XlsxFacts]:
    """Every row of the file, measured against the limits (FileProblem past one)."""
    limits = limits or bounds.Limits.from_settings()
    source.seek(0)
    raw = source.read()
    source.seek(0)
    text = _decoded(raw)
    rows: list[list[str]] = []
    cells = columns = 0
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), _dialect(text)), start=1):
            if number > limits.max_rows:
                raise FileProblem(bounds.too_many_rows(SHEET, limits))
            cells += len(row)
            columns = max(columns, len(row))
            if cells > limits.max_cells:
                raise bounds.too_many_cells(SHEET, number, columns, limits)
            if any(len(value) > limits.max_cell_chars for value in row):
                raise bounds.cell_too_long(limits, SHEET, number)
            rows.append(row)
    except csv.Error:  # the csv module's own cap on a cell (131,072 characters) was passed
        raise bounds.cell_too_long(limits, SHEET, len(rows) + 1) from None
    return rows, bounds.XlsxFacts(inflated=len(raw), sheets=[bounds.SheetFacts(SHEET, rows=len(rows), columns=columns)])


def is_text(source: IO[bytes], found: uploads.Sniffed) -> bool:
    """Is the upload text a .csv may be: what the sniff calls text (UTF-8), or nothing it knows nor
    fears (a Windows-1258 file) without NUL bytes and decodable as Windows-1258?"""
    if found.type is not None:
        return found.type.key == "text"
    if found.found:  # a web page, a program, a script: never
        return False
    source.seek(0)
    head = source.read(uploads.SNIFF_BYTES)
    source.seek(0)
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("cp1258")
    except UnicodeDecodeError:
        return False
    return True


def inspect(source: IO[bytes], *, budget: int) -> bounds.XlsxFacts:
    """What the upload's sniff may know of a .csv without parsing it: its size, and its lines when
    it is within `budget` bytes (`complete`); the worker's read measures the rest."""
    source.seek(0)
    head = source.read(budget + 1)
    source.seek(0)
    complete = len(head) <= budget
    lines = head.count(b"\n") + (1 if head and not head.endswith(b"\n") else 0)
    return bounds.XlsxFacts(complete=complete, inflated=len(head), sheets=[bounds.SheetFacts(SHEET, rows=lines)])
