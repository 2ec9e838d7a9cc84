"""The bounds of an uploaded workbook, measured by streaming it: no upload can exhaust the server.

An .xlsx is a ZIP of XML parts, and a 200 KB upload can inflate to gigabytes. The reader
(calamine) loads a whole sheet and the shared strings table into memory, and makes a dense table
from the first to the last cell, so a few cells in column XFD make a table of 16,384 columns.
What the file says about itself (its `<dimension>`, the sizes in its ZIP directory) proves
nothing. So before calamine sees a workbook, `inspect_xlsx` streams every part through
`bdtx.core.uploads.zip_inflate` in chunks of 1 MB and stops, with a message naming the limit, as
soon as one is passed:

- IMPORT_MAX_UNCOMPRESSED_BYTES: the parts together, inflated (every part counts, so each part is
  capped too);
- IMPORT_MAX_ROWS: the rows of a sheet, counted from the row tags and the cells' own references;
- IMPORT_MAX_CELLS: the table calamine would build (rows × columns of the cells holding a value);
- IMPORT_MAX_CELL_CHARS: the characters of one cell or shared string (Excel's own limit is 32,767).

Memory stays at a few chunks whatever the file. The same scan, given a `budget` of bytes to
inflate, is the cheap sniff of the upload request: it stops at the budget and says whether it saw
the whole file (`complete`), so a file is checked in the request only when it is known small.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from bdtx.core import uploads
from bdtx.core.importing.base import FileProblem

if TYPE_CHECKING:
    import zipfile

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_STRINGS_PART = "xl/sharedStrings.xml"
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?(worksheet|sst)[\s>]")
_SHEET_TAG = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\b(?:\w+:)?id="([^"]*)"')
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_TAGS = re.compile(rb"<[^>]*>")
# A span of XML longer than this many bytes per allowed character (and than 4 MB) cannot be one
# cell: refused unread.
_BYTES_PER_CHAR = 8
_MIN_HARD_BYTES = 4 * 2**20


@dataclass(frozen=True)
class Limits:
    max_inflated: int
    max_rows: int
    max_cells: int
    max_cell_chars: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            max_inflated=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            max_cells=settings.IMPORT_MAX_CELLS,
            max_cell_chars=settings.IMPORT_MAX_CELL_CHARS,
        )


@dataclass
class SheetFacts:
    name: str
    rows: int = 0
    columns: int = 0


@dataclass
class XlsxFacts:
    """What streaming the workbook found: measured, not declared."""

    complete: bool = True  # every part was read to its end (False: the budget stopped the sniff)
    inflated: int = 0  # bytes inflated
    sheets: list[SheetFacts] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """Rows of the tallest sheet."""
        return max((s.rows for s in self.sheets), default=0)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _megabytes(n: int) -> str:
    return _number(round(n / 2**20))


def not_xlsx_message() -> str:
    return _("This is not an Excel .xlsx file. Open it in Excel and save it as “Excel Workbook (.xlsx)”.")


def too_many_rows(sheet: str, limits: Limits) -> str:
    return _(
        "The sheet “%(sheet)s” has more than %(max)s rows; at most %(max)s rows can be imported at once. "
        "Split it into several files."
    ) % {"sheet": sheet, "max": _number(limits.max_rows)}


def inspect_xlsx(source: IO[bytes], *, limits: Limits | None = None, budget: int | None = None) -> XlsxFacts:
    """Stream every part of the workbook `source` and measure it against the limits (FileProblem).

    With `budget`, stop once that many bytes were inflated and return what was seen
    (`complete` False); problems met before the budget are raised all the same.
    """
    limits = limits or Limits.from_settings()
    source.seek(0)
    magic = source.read(4)
    source.seek(0)
    if magic != b"PK\x03\x04":
        raise FileProblem(not_xlsx_message())
    try:
        members = uploads.zip_members(source)
    except uploads.ZipProblem as e:
        raise FileProblem(str(e)) from None
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise FileProblem(_("The file could not be read as an Excel workbook. Is it damaged or password-protected?"))
    facts = XlsxFacts()
    try:
        sheet_names = _sheet_names(source, members, facts, limits)
        for member in members:
            if budget is not None and facts.inflated >= budget:
                facts.complete = False
                break
            if member.filename in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                continue  # read by _sheet_names
            if _SHEET_PART.fullmatch(member.filename):
                sheet = SheetFacts(sheet_names.get(member.filename, member.filename))
                facts.sheets.append(sheet)
                _SheetScan(sheet, limits).run(_counted(source, member, facts, limits, budget))
            elif member.filename == _STRINGS_PART:
                _scan_strings(_counted(source, member, facts, limits, budget), limits)
            else:
                for _chunk in _counted(source, member, facts, limits, budget):
                    pass
    except uploads.ZipProblem as e:
        raise FileProblem(str(e)) from None
    except _BudgetSpent:
        facts.complete = False
    finally:
        source.seek(0)
    return facts


class _BudgetSpent(Exception):
    pass


def _counted(
    source: IO[bytes], member: zipfile.ZipInfo, facts: XlsxFacts, limits: Limits, budget: int | None
) -> Iterator[bytes]:
    """A part's chunks, counted against the workbook's cap (and the sniff's budget, in chunks no larger)."""
    size = uploads.INFLATE_CHUNK if budget is None else max(4096, min(uploads.INFLATE_CHUNK, budget))
    for chunk in uploads.zip_inflate(source, member, chunk=size):
        facts.inflated += len(chunk)
        if facts.inflated > limits.max_inflated:
            raise FileProblem(
                _(
                    "Once unpacked, the file holds more than %(max)s MB, the most that can be imported at once: "
                    "no list needs that much. Remove pictures and extra sheets, or split it into several files."
                )
                % {"max": _megabytes(limits.max_inflated)}
            )
        yield chunk
        if budget is not None and facts.inflated >= budget:
            raise _BudgetSpent


def _sheet_names(source: IO[bytes], members: list[zipfile.ZipInfo], facts: XlsxFacts, limits: Limits) -> dict[str, str]:
    """Sheet part → the sheet's name as Excel shows it ("xl/worksheets/sheet1.xml" → "DS")."""
    by_name = {m.filename: m for m in members}
    small = 4 * 2**20

    def read(name: str) -> bytes:
        member = by_name.get(name)
        if member is None:
            return b""
        data = b"".join(uploads.zip_inflate(source, member, limit=small))
        facts.inflated += len(data)
        return data

    workbook, rels = read("xl/workbook.xml"), read("xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in _REL_TAG.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[attrs.get(b"Id", b"")] = target
    return {
        targets[rid]: _unescape(name.decode("utf-8", "replace"))
        for name, rid in _SHEET_TAG.findall(workbook)
        if rid in targets
    }


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def cell_too_long(limits: Limits, sheet: str = "", row: int = 0) -> FileProblem:
    if sheet:
        return FileProblem(
            _(
                "A cell of the sheet “%(sheet)s” (about row %(row)s) holds more than %(max)s characters, more than "
                "Excel itself allows: the file is damaged or was not made by Excel."
            )
            % {"sheet": sheet, "row": _number(max(row, 1)), "max": _number(limits.max_cell_chars)}
        )
    return FileProblem(
        _(
            "A text of the file holds more than %(max)s characters, more than Excel itself allows in a cell: "
            "the file is damaged or was not made by Excel."
        )
        % {"max": _number(limits.max_cell_chars)}
    )


def _span_chars(span: bytes) -> int:
    """Characters of text in an XML span (its tags left out)."""
    return len(_TAGS.sub(b"", span).decode("utf-8", "replace"))


class _Spans:
    """The longest run of XML between two item starts (`<c `, `<si>`), across chunks, within bounds.

    A run longer than the cell limit in bytes is measured in characters of text (its tags left
    out); one longer than `hard` bytes is refused unmeasured, so the carried run stays bounded.
    """

    def __init__(self, limits: Limits) -> None:
        self.soft = limits.max_cell_chars
        self.hard = max(limits.max_cell_chars * _BYTES_PER_CHAR, _MIN_HARD_BYTES)
        self.carry = b""

    def _too_long(self, piece: bytes) -> bool:
        return len(piece) > self.soft and (len(piece) > self.hard or _span_chars(piece) > self.soft)

    def feed(self, pieces: list[bytes], *, last: bool = False) -> bool:
        """Pieces split on the item start; unless `last`, the final one goes on in the next chunk.

        False when a run is too long.
        """
        if not pieces:
            return True
        pieces[0] = self.carry + pieces[0]
        self.carry = b"" if last else pieces.pop()
        if pieces and max(map(len, pieces)) > self.soft and any(self._too_long(p) for p in pieces):
            return False
        return not self._too_long(self.carry)


def _scan_strings(chunks: Iterator[bytes], limits: Limits) -> None:
    """The shared strings table: no string longer than the cell limit."""
    spans = _Spans(limits)
    start = b"<si>"
    first = True
    for chunk in chunks:
        if first:
            first = False
            m = _ROOT.search(chunk[:4096])
            if m and m.group(1):
                start = b"<" + m.group(1) + b":si>"
        if not spans.feed(chunk.split(start)):
            raise cell_too_long(limits)
    if not spans.feed([b""], last=True):
        raise cell_too_long(limits)


_LETTERS = {chr(65 + i): i + 1 for i in range(26)}


def _has_column(ref: re.Match[bytes] | None) -> bool:
    return ref is not None and ref.group(1) is not None


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode("ascii"):
        n = n * 26 + _LETTERS[ch]
    return n


class _SheetScan:
    """Rows, columns and cell sizes of one worksheet, streamed.

    Rows and columns are bounded from above the way calamine places cells: by the references of
    the cells holding a value (`r="XFD1048576"`); cells written without a reference follow the
    one before them, so they are counted (rows by their tags, columns cell by cell in each row).
    Empty cells (`<c r="Z9" s="1"/>`) and empty rows do not widen calamine's table and are not
    counted.
    """

    def __init__(self, sheet: SheetFacts, limits: Limits) -> None:
        self.sheet = sheet
        self.limits = limits
        self.spans = _Spans(limits)
        self.max_row_ref = 0  # highest row of a cell with a value and a reference
        self.max_col_ref = 0
        self.max_row_tag = 0  # highest r="" of a row tag
        self.unreferenced_rows = 0  # row tags without r=""
        self.unreferenced = False  # some cell with a value has no reference
        self.open_row_cells = 0  # unreferenced cells so far in the row cut by the chunk's end
        self.max_unreferenced_cells = 0  # cells with a value and no reference in one row, at most
        self.tail = b""  # the end of the last chunk, which may hold a tag cut in two

    def _compile(self, prefix: bytes) -> None:
        p = re.escape(prefix)
        self.row_start = b"<" + prefix + b"row"
        self.cell_start = b"<" + prefix + b"c "
        self.re_row_ref = re.compile(rb"<" + p + rb'row r="(\d{1,9})"')
        self.re_row_other = re.compile(rb"<" + p + rb"row(?:>|\s(?!r=)[^>]*>)")
        self.re_ref = re.compile(rb'\br="([A-Z]{1,4})?(\d{1,9})"')
        # a cell with a value (not self-closing) whose reference comes first, as Excel writes it
        self.re_cell_ref = re.compile(rb"<" + p + rb'c r="([A-Z]{1,4})(\d{1,9})"[^>]*(?<!/)>')
        # any other cell with a value: its reference later among its attributes, or none
        self.re_cell_other = re.compile(rb"<" + p + rb"c(?:>|\s(?!r=)[^>]*(?<!/)>)")

    def run(self, chunks: Iterator[bytes]) -> None:
        first = True
        for chunk in chunks:
            if first:
                first = False
                m = _ROOT.search(chunk[:4096])
                self._compile((m.group(1) + b":") if m and m.group(1) else b"")
            self._feed(chunk)
        if not first:
            self._feed(b"", last=True)

    def _feed(self, chunk: bytes, *, last: bool = False) -> None:
        # Work on whole tags: a tag cut by the chunk's end waits for the rest of it in the next one.
        data = self.tail + chunk
        lt = data.rfind(b"<")
        cut = len(data) if last or lt < 0 or data.find(b">", lt) >= 0 else lt
        if len(data) - cut > self.spans.hard:  # a tag of megabytes: no workbook has one
            raise cell_too_long(self.limits, self.sheet.name, self.rows)
        body, self.tail = data[:cut], data[cut:]
        if not body:
            return
        if row_refs := self.re_row_ref.findall(body):
            self.max_row_tag = max(self.max_row_tag, max(map(int, row_refs)))
        for tag in self.re_row_other.findall(body):
            m = self.re_ref.search(tag)
            if m:
                self.max_row_tag = max(self.max_row_tag, int(m.group(2)))
            else:
                self.unreferenced_rows += 1
        refs = self.re_cell_ref.findall(body)
        if refs:
            letters, numbers = zip(*refs, strict=True)
            self._reach(max(map(int, numbers)), max(map(_column_number, set(letters))))
        unreferenced = 0
        for tag in self.re_cell_other.findall(body):
            m = self.re_ref.search(tag)
            if m and m.group(1):
                self._reach(int(m.group(2)), _column_number(m.group(1)))
            else:
                unreferenced += 1
        if unreferenced or self.open_row_cells:
            self._count_unreferenced(body, last=last)
        pieces = body.split(self.cell_start)
        if not self.spans.feed(pieces, last=last):
            raise cell_too_long(self.limits, self.sheet.name, self.rows)
        self._measure()

    def _reach(self, row: int, column: int) -> None:
        self.max_row_ref = max(self.max_row_ref, row)
        self.max_col_ref = max(self.max_col_ref, column)

    def _count_unreferenced(self, body: bytes, *, last: bool) -> None:
        """Cells without a reference, row by row (the row cut by the chunk's end goes on in the next)."""
        self.unreferenced = True
        rows = body.split(self.row_start)
        for i, row in enumerate(rows):
            n = sum(1 for tag in self.re_cell_other.findall(row) if not _has_column(self.re_ref.search(tag)))
            if i == 0:
                n += self.open_row_cells
            self.max_unreferenced_cells = max(self.max_unreferenced_cells, n)
            if i == len(rows) - 1:
                self.open_row_cells = 0 if last else n

    @property
    def rows(self) -> int:
        if not self.unreferenced:
            return self.max_row_ref
        return max(self.max_row_ref, self.max_row_tag) + self.unreferenced_rows

    @property
    def columns(self) -> int:
        return self.max_col_ref + (self.max_unreferenced_cells if self.unreferenced else 0)

    def _measure(self) -> None:
        limits, sheet = self.limits, self.sheet
        sheet.rows, sheet.columns = self.rows, self.columns
        if sheet.rows > limits.max_rows:
            raise FileProblem(too_many_rows(sheet.name, limits))
        if sheet.rows * sheet.columns > limits.max_cells:
            raise too_many_cells(sheet.name, sheet.rows, sheet.columns, limits)


def too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> FileProblem:
    return FileProblem(
        _(
            "The sheet “%(sheet)s” reaches column %(column)s: with its %(rows)s rows that makes more than "
            "%(max)s cells, more than can be read at once. Delete the empty columns on the right "
            "(or the stray values far away), or split the file."
        )
        % {"sheet": sheet, "column": _letters(columns), "rows": _number(rows), "max": _number(limits.max_cells)}
    )


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out
