"""Reading office spreadsheets: find the table in a sheet, map its columns by header text, yield rows.

Real files are not tidy. Title rows sit above the header; headers span two rows with merged
cells ("Họ và tên" over "Họ | Tên đệm | Tên", "Ngày sinh" over "Nam | Nữ"); the same column is
called "Họ và tên", "Họ tên" or "Họ và tên giáo viên"; a row of column numbers "(1) (2) (3)"
follows the header; blank rows, totals and subtotals, group headings and a signature block sit
among the people; older files are typed in TCVN3 or VNI. This module copes with all of that and
knows no importer: the fields to look for are passed in (`bdtx.core.importing.base.Field`), so
every import reuses it.

Nothing is dropped without a word: a row that is not data (a total, a signature, a blank line
between people, a group heading) is skipped and listed in `Table.skipped`; any other row goes to
the importer, which reports what is wrong with it. A header naming the same field twice is
refused, since taking one of the two columns would be a guess. Before the reader sees a file,
`bdtx.core.importing.bounds` streams it against the import limits.
"""

import contextlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import IO, Any

from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from bdtx.core.importing import bounds, csvfile, legacy
from bdtx.core.importing.base import Field, FileProblem
from bdtx.core.text import fold, nfc

XLSX_MAGIC = b"PK\x03\x04"
HEADER_SCAN_ROWS = 15
LEGACY_SCAN_ROWS = 2000
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ROMAN_OR_LETTER = re.compile(r"^([ivxlc]+|[a-z])[.)]?$")
_EXAMPLE = frozenset({"vi du", "vd", "mau", "dong mau"})


@dataclass(frozen=True)
class Column:
    index: int  # 0-based, absolute
    letter: str  # Excel column letter
    header: str  # header text as written (after TCVN3 decoding)
    key: str


@dataclass
class Layout:
    """Where the table is: sheet, header rows, recognised and ignored columns, encoding."""

    sheet: str
    header_rows: tuple[int, ...]  # Excel row numbers
    columns: list[Column]
    ignored: list[str]
    encoding: str = ""  # legacy.TCVN3 or legacy.VNI for a file typed in a legacy font, "" for Unicode

    @property
    def legacy(self) -> bool:
        return bool(self.encoding)

    def has(self, key: str) -> bool:
        return key in self.keys

    @cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(c.key for c in self.columns)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


@dataclass
class RawRow:
    """One data row: values by field key (text decoded and NFC), and cells that could not be decoded."""

    number: int  # Excel row number
    values: dict[str, Any]
    undecodable: list[str] = field(default_factory=list)

    def text(self, key: str) -> str:
        return as_text(self.values.get(key))


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB'."""
    out = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def header_text(value: Any, encoding: str = "") -> str:
    """A header cell as readable text (TCVN3 or VNI decoded, NFC)."""
    text = as_text(value)
    with contextlib.suppress(legacy.LegacyTextError):
        text = legacy.decode_guessed(text, encoding)
    return nfc(text)


def normalise_header(value: Any, encoding: str = "") -> str:
    """Folded, punctuation-free header: 'Ngày, tháng, năm sinh' → 'ngay thang nam sinh'."""
    return _NON_ALNUM.sub(" ", fold(header_text(value, encoding))).strip()


def match_field(norm: str, fields: Iterable[Field], parent: Field | None = None) -> str | None:
    """The key of the field this normalised header names (a parent's children first), or None.

    Fields whose key starts with "_" swallow look-alike headers: they match, and name nothing.
    """
    if not norm:
        return None
    if parent is not None and norm in parent.children:
        return parent.children[norm]
    padded = f" {norm} "
    fields = list(fields)
    found = next((f.key for f in fields if norm in f.exact), None)
    if found is None:
        found = next((f.key for f in fields if any(f" {p} " in padded for p in f.contains)), None)
    return None if found is None or found.startswith("_") else found


# --- cell values -------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def as_text(value: Any) -> str:
    """Cell → text as a person reads it: 12.0 → '12', a date → 'dd/mm/yyyy', None → ''."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def as_date(value: Any) -> date | None:
    """Excel date, serial number, 'dd/mm/yyyy' (also d/m/yyyy, '-' or '.') or ISO text → date.

    Raises ValueError for anything else (two-digit years, month first, impossible dates).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(value)
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip()
    if m := _DMY.match(text):
        d, mth, y = (int(g) for g in m.groups())
        return date(y, mth, d)
    if m := _YMD.match(text):
        y, mth, d = (int(g) for g in m.groups())
        return date(y, mth, d)
    raise ValueError(text)


def as_digits(value: Any) -> str:
    """A number typed into a cell → its digits: 1085012345.0, '4012345678.0', '4.0123e10', '001 085 012'.

    Returns the text unchanged (stripped) when it is not a number, so the caller can report it.
    """
    if type(value) is str:
        text = value.strip()
        if text.isdigit():
            return text
    elif value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    elif isinstance(value, int):
        return str(value)
    elif isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    if not text:
        return ""
    if _DIGITS_POINT_ZERO.fullmatch(text):
        return text.split(".")[0]
    if _SCIENTIFIC.fullmatch(text):
        number = Decimal(text)
        return str(int(number)) if number == number.to_integral_value() else text
    compact = _GROUPING.sub("", text)
    return compact if compact.isdigit() else text


_DIGITS_POINT_ZERO = re.compile(r"\d+\.0+")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
_GROUPING = re.compile(r"[\s.\-]")


# --- reading -----------------------------------------------------------------------------------


def open_workbook(source: IO[bytes]) -> CalamineWorkbook:
    """Open an .xlsx file, or raise FileProblem with a message the user can act on."""
    if not is_xlsx(source):
        raise FileProblem(bounds.not_xlsx_message())
    try:
        return CalamineWorkbook.from_filelike(source)
    except (CalamineError, ValueError, OSError):
        raise FileProblem(_("The file could not be read as an Excel workbook. Is it damaged or password-protected?"))


@dataclass(frozen=True)
class Skipped:
    """A row that is not data, left out of the import and listed on the job's page."""

    TOTAL = "total"  # "Tổng cộng", "Cộng: 12 người", a subtotal
    SIGNATURE = "signature"  # "Người lập biểu", "HIỆU TRƯỞNG", "(Ký, ghi rõ họ tên)" and the signer's name
    BLANK = "blank"  # an empty row between people
    SECTION = "section"  # "I. Trường Tiểu học Đông", "A | Khối 1": a heading of the people below it
    EXAMPLE = "example"  # "Ví dụ", "Mẫu": the line showing how to fill the form
    NUMBERING = "numbering"  # "(1) (2) (3)" under the header

    row: int
    kind: str
    text: str


@dataclass
class Table:
    layout: Layout
    rows: Iterator[RawRow]
    last_row: int  # Excel number of the sheet's last used row, for progress
    facts: bounds.XlsxFacts = field(default_factory=bounds.XlsxFacts)
    skipped: list[Skipped] = field(default_factory=list)  # filled as `rows` is read


def read_table(
    source: IO[bytes],
    fields: Sequence[Field],
    *,
    required_any: frozenset[str],
    not_found: str = "",
    accepts_csv: bool = False,
) -> Table:
    """Find the first sheet holding a table with these fields and stream its data rows.

    The file is first streamed against the import limits (`bounds.inspect_xlsx`, FileProblem
    past one). A header row is the row among the first 15 that names the most fields (at least
    three, and one of `required_any`); the row under it joins the header when it holds
    sub-headers. Without one, FileProblem says `not_found` (what the importer looks for); with two
    columns naming the same field, FileProblem names both. With `accepts_csv`, a file that is not
    an .xlsx is read as .csv (`csvfile`), one sheet, the same way.
    """
    if accepts_csv and not is_xlsx(source):
        rows, facts = csvfile.read_rows(source)
        table = _sheet_table(csvfile.SHEET, iter(rows), [], 0, len(rows), fields, required_any, facts)
        if table is not None:
            return table
    else:
        facts = bounds.inspect_xlsx(source)
        wb = open_workbook(source)
        for meta in wb.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except CalamineError:
                continue
            if sheet.start is None:
                continue
            col0 = sheet.start[1]
            merges = [
                ((r1, c1 - col0), (r2, c2 - col0))
                for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])
                if c2 >= col0
            ]
            last_row = (sheet.end or (0, 0))[0] + 1
            table = _sheet_table(meta.name, sheet.iter_rows(), merges, col0, last_row, fields, required_any, facts)
            if table is not None:
                return table
    raise FileProblem(
        not_found
        or _("No table was found: the first 15 rows of every sheet were searched for a header row naming the columns.")
    )


def is_xlsx(source: IO[bytes]) -> bool:
    source.seek(0)
    magic = source.read(4)
    source.seek(0)
    return magic == XLSX_MAGIC


def _sheet_table(
    name: str,
    rows: Iterator[list[Any]],
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    col0: int,
    last_row: int,
    fields: Sequence[Field],
    required_any: frozenset[str],
    facts: bounds.XlsxFacts,
) -> Table | None:
    """The table of one sheet's rows, or None when none of its first rows is a header."""
    head = []
    for row in rows:
        head.append(row)
        if len(head) >= HEADER_SCAN_ROWS + 1:
            break
    head_encoding = legacy.file_encoding(_texts(head))
    found = _find_header(head, fields, merges, col0=col0, required_any=required_any, encoding=head_encoding)
    if found is None:
        return None
    header_rows, columns, ignored = found
    last_header = header_rows[-1] - 1  # 0-based index
    body = _chain(head[last_header + 1 :], rows)
    sample, body = _peek(body, LEGACY_SCAN_ROWS)
    encoding = legacy.file_encoding(_texts([*head[: last_header + 1], *sample]))
    if encoding != head_encoding:  # the rows tell better than the header alone
        found = _find_header(head, fields, merges, col0=col0, required_any=required_any, encoding=encoding)
        if found is None:
            return None
        header_rows, columns, ignored = found
    layout = Layout(sheet=name, header_rows=header_rows, columns=columns, ignored=ignored, encoding=encoding)
    table = Table(layout=layout, rows=iter(()), last_row=last_row, facts=facts)
    table.rows = _data_rows(body, layout, first_number=last_header + 2, col0=col0, skipped=table.skipped)
    return table


def _chain(first: list[list[Any]], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield from first
    yield from rest


def _peek(rows: Iterator[list[Any]], n: int) -> tuple[list[list[Any]], Iterator[list[Any]]]:
    sample = []
    for row in rows:
        sample.append(row)
        if len(sample) >= n:
            break
    return sample, _chain(sample, rows)


def _texts(rows: list[list[Any]]) -> Iterator[str]:
    """The texts beyond ASCII of some rows (what tells a file's encoding)."""
    for row in rows:
        for cell in row:
            if isinstance(cell, str) and not cell.isascii():
                yield cell


def _find_header(
    head: list[list[Any]],
    fields: Sequence[Field],
    merges: list[tuple[tuple[int, int], tuple[int, int]]],
    *,
    col0: int,
    required_any: frozenset[str],
    encoding: str = "",
) -> tuple[tuple[int, ...], list[Column], list[str]] | None:
    by_key = {f.key: f for f in fields}

    def norm(value: Any) -> str:
        return normalise_header(value, encoding)

    best: tuple[int, int] | None = None  # (score, row index)
    for r, row in enumerate(head[:HEADER_SCAN_ROWS]):
        keys = {match_field(norm(v), fields) for v in row if isinstance(v, str)}
        keys.discard(None)
        if len(keys) >= 3 and keys & required_any and (best is None or len(keys) > best[0]):
            best = (len(keys), r)
    if best is None:
        return None
    r = best[1]
    top = head[r]
    sub = head[r + 1] if r + 1 < len(head) else []
    width = max(len(top), len(sub))

    def parent_col(c: int) -> int | None:
        """The column holding the text of the top-row header above column c (merged or not)."""
        for (r1, c1), (r2, c2) in merges:
            if r1 <= r <= r2 and c1 <= c <= c2:
                return c1
        if c < len(top) and top[c] not in ("", None):
            return c
        return None

    top_keys: dict[int, str | None] = {}
    for c in range(width):
        p = parent_col(c)
        top_keys[c] = match_field(norm(top[p]), fields) if p is not None and p < len(top) else None
    sub_keys: dict[int, str] = {}
    sub_is_header = bool(sub) and not any(isinstance(v, int | float | date) and v != "" for v in sub)
    if sub_is_header:
        for c, v in enumerate(sub):
            if not isinstance(v, str) or not v.strip():
                continue
            parent = by_key.get(top_keys.get(c) or "")
            sub_key = match_field(norm(v), fields, parent=parent)
            spans = parent_col(c) != c or _merged_width(merges, r, c) > 1
            if sub_key and (spans or top_keys.get(c) is None):
                sub_keys[c] = sub_key
        sub_is_header = bool(sub_keys)
    columns: list[Column] = []
    ignored: list[str] = []
    for c in range(width):
        p = parent_col(c)
        if c in sub_keys:
            key: str | None = sub_keys[c]
            text = header_text(sub[c], encoding)
            if p is not None and (p != c or _merged_width(merges, r, c) > 1):
                text = f"{header_text(top[p], encoding)} – {text}"
        elif p == c:
            key, text = top_keys[c], header_text(top[c], encoding)
        else:
            continue  # under a merged header without a sub-header of its own, or an empty column
        if key:
            columns.append(Column(index=c + col0, letter=column_letter(c + col0), header=text, key=key))
        elif text:
            ignored.append(text)
    _refuse_ambiguous(columns, by_key)
    rows = (r + 1, r + 2) if sub_is_header else (r + 1,)
    return rows, columns, ignored


def _refuse_ambiguous(columns: list[Column], by_key: dict[str, Field]) -> None:
    """Two columns naming the same field: taking either would be a guess, so the file is refused."""
    by_field: dict[str, list[Column]] = {}
    for c in columns:
        by_field.setdefault(c.key, []).append(c)
    clashes = [same for same in by_field.values() if len(same) > 1]
    if not clashes:
        return
    parts = []
    for same in clashes:
        field_ = by_key.get(same[0].key)
        name = (field_.label if field_ else "") or same[0].header
        listed = ", ".join(
            _("column %(letter)s (“%(header)s”)") % {"letter": c.letter, "header": c.header} for c in same
        )
        parts.append(_("%(columns)s all mean “%(field)s”") % {"columns": listed, "field": name})
    raise FileProblem(
        _(
            "The header is ambiguous: %(clashes)s. Only one column may give each piece of information: delete or "
            "rename the others, then upload the file again."
        )
        % {"clashes": "; ".join(parts)}
    )


def _merged_width(merges: list[tuple[tuple[int, int], tuple[int, int]]], r: int, c: int) -> int:
    for (r1, c1), (r2, c2) in merges:
        if r1 <= r <= r2 and c1 == c:
            return c2 - c1 + 1
    return 1


def _is_numbering_row(row: list[Any]) -> bool:
    """The '(1) (2) (3)' row some official forms put under the header."""
    cells = [as_text(v) for v in row if v not in ("", None)]
    return len(cells) >= 3 and not any(_HAS_LETTER.search(c) for c in cells)


def _data_rows(
    rows: Iterator[list[Any]], layout: Layout, *, first_number: int, col0: int, skipped: list[Skipped]
) -> Iterator[RawRow]:
    """The rows to check, in order; the rows that are not data go to `skipped` as they are met.

    Blank rows count as skipped only between people: those under the last person are the end of
    the sheet. A row that is neither data nor recognised as a total, a signature, a heading or an
    example is passed on, and the importer says what is wrong with it.
    """
    cols = [(c.key, c.index - col0) for c in layout.columns]
    encoding = layout.encoding
    # Office lists repeat the same texts (genders, positions, units, family names): clean each once.
    cleaned: dict[str, str | None] = {}
    number = first_number - 1
    first = True
    blanks: list[Skipped] = []  # blank rows, skipped once a person follows them
    in_footer = False  # under the signature block's first line
    for row in rows:
        number += 1
        if first:
            first = False
            if _is_numbering_row(row):
                skipped.append(Skipped(number, Skipped.NUMBERING, _row_text(row, encoding)))
                continue
        values: dict[str, Any] = {}
        undecodable: list[str] = []
        n = len(row)
        for key, i in cols:
            if i >= n:
                continue
            v = row[i]
            if type(v) is str:
                if not v:
                    continue
                if v.isascii() and v.isprintable() and v[0] != " " != v[-1] and "  " not in v:
                    values[key] = v  # plain ASCII: nothing to decode or normalise (IDs, phones, e-mails)
                    continue
                text = cleaned.get(v, _MISSING)
                if text is _MISSING:
                    text = cleaned[v] = _clean_text(v, encoding)
                if text is None:
                    undecodable.append(key)
                    text = nfc(v)
                if not text:
                    continue
                values[key] = text
            elif v is not None:
                values[key] = v
        stt = values.get("stt")
        if type(stt) is not float and type(stt) is not int:  # a numbered row is data
            if not values and not any(as_text(v).strip() for v in row):
                blanks.append(Skipped(number, Skipped.BLANK, ""))
                continue
            kind = _skip_kind(row, values, encoding, in_footer=in_footer)
            if kind is not None:
                in_footer = in_footer or kind == Skipped.SIGNATURE
                skipped.append(Skipped(number, kind, _row_text(row, encoding)))
                continue
        skipped.extend(blanks)
        blanks.clear()
        in_footer = False
        yield RawRow(number=number, values=values, undecodable=undecodable)


_MISSING: Any = object()


def _clean_text(text: str, encoding: str) -> str | None:
    """Cell text decoded from TCVN3 or VNI when it is, in NFC with spaces collapsed; None if undecodable."""
    if not text.isascii():
        try:
            text = legacy.decode_guessed(text, encoding)
        except legacy.LegacyTextError:
            return None
    return nfc(text)


def _decoded(value: Any, encoding: str) -> str:
    text = as_text(value)
    with contextlib.suppress(legacy.LegacyTextError):
        text = legacy.decode_guessed(text, encoding)
    return nfc(text)


def _lead_text(row: list[Any], encoding: str) -> str:
    """The row's first non-empty cell, decoded and lower-cased, punctuation turned into spaces."""
    text = next((_decoded(v, encoding) for v in row if v not in ("", None)), "")
    return _PUNCT.sub(" ", text.lower()).strip()


def _row_text(row: list[Any], encoding: str, limit: int = 120) -> str:
    """What a skipped row says, for its line on the job's page: its cells, decoded, joined."""
    text = " · ".join(t for v in row if v not in ("", None) and (t := _decoded(v, encoding)))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_PUNCT = re.compile(r"[^\w]+")
_TOTALS = re.compile(r"^(tổng cộng|tổng số|tổng|cộng|tong cong|tong so|tong|cong)(?: (.*))?$")
# The word after "Tổng"/"Cộng" that makes it a total ("Cộng tổ Toán: 12"), not a position ("Tổng phụ trách").
_TOTALS_NEXT = frozenset((
    "toàn", "toan", "chung", "số", "so", "người", "nguoi", "cán", "can", "giáo", "gv", "cbql", "nv", "nhân", "nhan",
    "tổ", "to", "khối", "khoi", "trường", "truong", "nam", "nữ", "nu", "đơn", "don", "phòng", "phong", "xã", "xa",
    "lớp", "lop", "cấp", "cap", "cả", "ca",
))  # fmt: skip
_FOOTER = re.compile(
    r"^(nguoi lap|nguoi ke khai|nguoi tong hop|xac nhan|thu truong|hieu truong|giam doc|truong phong|"
    r"ky ten|ky ghi ro|noi nhan|ngay \d+ thang|[a-z ]{1,40} ngay \d+ thang)"
)
_NUMERIC_KEYS = ("date_of_birth", "dob_male", "dob_female", "personal_id")


def _skip_kind(row: list[Any], values: dict[str, Any], encoding: str, *, in_footer: bool) -> str | None:
    """What an unnumbered row is when it is not data: a total, a signature, a heading, an example (or None).

    A row holding a date of birth or an ID number is a person, whatever else it says (text without
    a digit in those columns is not one: "HIỆU TRƯỞNG" under the ID column of a signature block).
    """
    stt = values.get("stt")
    folded = fold(stt) if type(stt) is str else ""
    if folded in _EXAMPLE:
        return Skipped.EXAMPLE
    if any(_is_figure(values.get(k)) for k in _NUMERIC_KEYS):
        return None
    lead = _lead_text(row, encoding)
    if m := _TOTALS.match(lead):
        rest = m.group(2) or ""
        if not rest or rest[0].isdigit() or rest.split()[0] in _TOTALS_NEXT:
            return Skipped.TOTAL
    if in_footer or _FOOTER.match(fold(lead)):
        return Skipped.SIGNATURE
    if folded and _is_section_row(folded, values):
        return Skipped.SECTION
    return None


def _is_figure(value: Any) -> bool:
    """A number, a date, or text with a digit in it."""
    if value is None or isinstance(value, bool):
        return False
    return not isinstance(value, str) or any(ch.isdigit() for ch in value)


def _is_section_row(stt: str, values: dict[str, Any]) -> bool:
    """'I. Trường Tiểu học Đông', 'A | Khối 1' rows grouping the staff below them."""
    if not stt or not _ROMAN_OR_LETTER.match(stt):
        return False
    return not any(k in values for k in (*_NUMERIC_KEYS, "gender", "gender_male", "gender_female"))
