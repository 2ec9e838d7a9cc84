"""Hostile .xlsx files for the upload bounds: tiny when compressed, enormous once inflated.

Each is a real workbook (content types, relationships, one sheet "DS" with a staff list header)
written part by part with `zipfile`, streaming the sheet, so building one costs little memory. Each
sheet declares a small `<dimension>` it does not keep: the upload check must not believe it.

- `huge_cell_xlsx`: one name cell of `chars` characters (200 MB in the security probe: a 205 KB file);
- `shared_strings_bomb_xlsx`: `count` shared strings of `length` characters each (the sheet itself is small);
- `many_rows_xlsx`: a header and `rows` staff rows (1,040,000 in the probe: a 764 KB file);
- `wide_sparse_xlsx`: `rows` rows with a value in column A and one in column XFD (a 1 GB table for calamine).
"""

import io
import zipfile
from collections.abc import Iterable, Iterator

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "%s</Types>"
)
_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>%s</Relationships>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:F3"/><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
HEADER = ["STT", "Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số định danh cá nhân"]


def _text_cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def _header_row() -> bytes:
    cells = b"".join(_text_cell(f"{chr(65 + i)}1", h) for i, h in enumerate(HEADER))
    return b'<row r="1">' + cells + b"</row>"


def _workbook(sheet: Iterable[bytes], shared_strings: Iterable[bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES % (_SST_TYPE if shared_strings is not None else ""))
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS % (_SST_REL if shared_strings is not None else ""))
        if shared_strings is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                for part in shared_strings:
                    f.write(part)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for part in sheet:
                f.write(part)
    return buf.getvalue()


def _repeat(piece: bytes, total: int, block: int = 2**20) -> Iterator[bytes]:
    """`piece` repeated to `total` bytes, in blocks of about `block` bytes."""
    per_block = piece * max(1, block // len(piece))
    left = total
    while left > 0:
        out = per_block[:left]
        left -= len(out)
        yield out


def huge_cell_xlsx(chars: int = 200 * 2**20) -> bytes:
    """A staff list whose one person's name is `chars` characters long."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + _header_row()
        yield b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>'
        yield from _repeat(b"A", chars)
        yield b'</t></is></c><c r="C2" t="inlineStr"><is><t>Nam</t></is></c></row>' + _SHEET_TAIL

    return _workbook(sheet())


def shared_strings_bomb_xlsx(count: int = 500_000, length: int = 1000) -> bytes:
    """A short staff list whose shared strings table holds `count` strings of `length` characters."""
    item = b"<si><t>" + b"Nguyen Van A " * (length // 13) + b"</t></si>"

    def strings() -> Iterator[bytes]:
        yield (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            % (count, count)
        )
        yield from _repeat(item, count * len(item))
        yield b"</sst>"

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + _header_row()
        yield b'<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>' + _SHEET_TAIL

    return _workbook(sheet(), strings())


def many_rows_xlsx(rows: int = 1_040_000) -> bytes:
    """A header and `rows` identical staff rows, written without row numbers as some tools do."""
    row = (
        b"<row><c><v>1</v></c>"
        b'<c t="inlineStr"><is><t>Nguy\xe1\xbb\x85n V\xc4\x83n An</t></is></c>'
        b'<c t="inlineStr"><is><t>Nam</t></is></c>'
        b'<c t="inlineStr"><is><t>01/01/1980</t></is></c></row>'
    )

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + _header_row()
        yield from _repeat(row, rows * len(row))
        yield _SHEET_TAIL

    return _workbook(sheet())


def wide_sparse_xlsx(rows: int = 2000) -> bytes:
    """`rows` rows with a value in column A and another in column XFD, the last Excel column."""

    def sheet() -> Iterator[bytes]:
        yield _SHEET_HEAD + _header_row()
        for n in range(2, rows + 2):
            yield b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="XFD%d"><v>1</v></c></row>' % (n, n, n, n)
        yield _SHEET_TAIL

    return _workbook(sheet())
