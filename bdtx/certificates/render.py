"""Certificates of completion (giấy chứng nhận hoàn thành BDTX) drawn with ReportLab's canvas.

Pure: no model, no query. The issuing workflow freezes a certificate's values into a
`CertificateData` and reads the issuer's `CertificateLayout` (kept as JSON an administrator can
adjust), then calls `render_certificates` for one PDF of many pages (bulk download) or
`render_certificate` for one.

Fast path: the fonts are registered once per process; within one PDF, what a layout draws the same
on every page (border, background image, national motto, title) is one form XObject drawn by
reference, and the QR code is vector rectangles (a run of dark modules is one rectangle) — measured
faster than a PNG through `ImageReader` (bench/certificates.py, docs/benchmarks.md).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import segno
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from bdtx.core.text import nfc

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "BDTX-NotoSerif", "BDTX-NotoSerif-Bold", "BDTX-NotoSerif-Italic"

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"

TITLE_DROP = 82.0  # from the top of the content to the title's baseline

_fonts_registered = False


def register_fonts() -> None:
    """Register the vendored Noto Serif faces with ReportLab, once per process."""
    global _fonts_registered
    if _fonts_registered:
        return
    for name, file in (
        (REGULAR, "NotoSerif-Regular.ttf"),
        (BOLD, "NotoSerif-Bold.ttf"),
        (ITALIC, "NotoSerif-Italic.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / file)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
    _fonts_registered = True


def place_and_date(place: str, on: date) -> str:
    """'Cao Bằng, ngày 05 tháng 02 năm 2026': a day below 10 and the months 1 and 2 take a leading
    zero, as administrative documents write them (Nghị định 30/2020/NĐ-CP)."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return nfc(f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}")


def hours_text(hours: int | float | Decimal) -> str:
    """40 → '40'; 1.5 → '1,5' (Vietnamese decimal comma)."""
    value = Decimal(str(hours))
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f").replace(".", ",")


@dataclass(frozen=True)
class CertificateData:
    """The values an issued certificate freezes. `issuer_name`, `managing_authority`, `signer_title`
    and `signer_name` left blank fall back to the layout's."""

    full_name: str
    unit_name: str
    school_year_label: str  # "2025-2026"
    result_label: str  # "Hoàn thành", or a TT 26/2012 grade "Giỏi"
    modules: Sequence[tuple[str, int | float | Decimal]]  # (programme or module title, periods)
    number: str
    issued_on: date
    place: str  # "Cao Bằng"
    verification_url: str
    issuer_name: str = ""
    managing_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""

    @property
    def place_and_date(self) -> str:
        return place_and_date(self.place, self.issued_on)

    @property
    def total_hours(self) -> Decimal:
        return sum((Decimal(str(h)) for _t, h in self.modules), Decimal(0))


PAGES = {"A4 landscape": landscape(A4), "A4 portrait": portrait(A4)}
_SIZE_BOUNDS = (4.0, 72.0)


@dataclass(frozen=True)
class CertificateLayout:
    """How an issuer's certificates look, as data an administrator adjusts without code. Stored as
    JSON (`to_dict`/`from_dict`); the background image is a file of its own, passed as bytes."""

    issuer_lines: tuple[str, ...] = ()  # ("UBND TỈNH CAO BẰNG", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"): last line bold
    signer_title: str = ""  # may hold a line break: "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    signer_name: str = ""
    title: str = "GIẤY CHỨNG NHẬN"
    subtitle: str = "Hoàn thành chương trình bồi dưỡng thường xuyên"
    page: str = "A4 landscape"
    margin_mm: float = 12.0
    border: bool = True
    header_size: float = 11.5
    title_size: float = 28.0
    name_size: float = 22.0
    body_size: float = 12.5
    small_size: float = 7.5
    background: bytes | None = field(default=None, repr=False, compare=True)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["background"]
        out["issuer_lines"] = list(self.issuer_lines)
        return out

    @classmethod
    def from_dict(cls, raw: Any, *, background: bytes | None = None) -> CertificateLayout:
        """Read a stored layout, refusing unknown keys and values of the wrong type or out of range
        with messages an administrator can act on (ValidationError, all problems at once)."""
        if not isinstance(raw, dict):
            raise ValidationError(_("The certificate layout must be a JSON object."))
        known = {f.name: f for f in fields(cls) if f.name != "background"}
        errors: list[str] = []
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                errors.append(_("Unknown layout setting “%(key)s”.") % {"key": key})
                continue
            if key == "issuer_lines":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    errors.append(_("“%(key)s” must be a list of texts.") % {"key": key})
                elif len(value) > 4 or any(len(v) > 120 for v in value):
                    errors.append(_("“%(key)s” holds at most 4 lines of 120 characters.") % {"key": key})
                else:
                    values[key] = tuple(nfc(v) for v in value)
            elif key == "border":
                if not isinstance(value, bool):
                    errors.append(_("“%(key)s” must be true or false.") % {"key": key})
                else:
                    values[key] = value
            elif key == "page":
                if value not in PAGES:
                    errors.append(
                        _("“%(key)s” must be one of: %(choices)s.") % {"key": key, "choices": ", ".join(PAGES)}
                    )
                else:
                    values[key] = value
            elif known[key].type in ("float", float):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    errors.append(_("“%(key)s” must be a number.") % {"key": key})
                    continue
                low, high = (0.0, 60.0) if key == "margin_mm" else _SIZE_BOUNDS
                if not low <= value <= high:
                    errors.append(
                        _("“%(key)s” must be between %(low)s and %(high)s.")
                        % {"key": key, "low": f"{low:g}", "high": f"{high:g}"}
                    )
                else:
                    values[key] = float(value)
            else:
                if not isinstance(value, str):
                    errors.append(_("“%(key)s” must be a text.") % {"key": key})
                elif len(value) > 200:
                    errors.append(_("“%(key)s” holds at most 200 characters.") % {"key": key})
                else:
                    values[key] = "\n".join(nfc(line) for line in value.split("\n"))
        if errors:
            raise ValidationError(errors)
        return cls(**values, background=background)


# --------------------------------------------------------------------------------------------------
# Drawing


@dataclass
class _Page:
    """A layout's geometry, worked out once per layout and PDF."""

    width: float
    height: float
    pad: float  # inner edge of the content
    left_x: float  # centre of the issuer block
    right_x: float  # centre of the motto and the signer block
    form: str


def _width(text: str, font: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, font, size)


def _fit(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest size not above `size` (and not below `smallest`) at which `text` fits `width`."""
    w = _width(text, font, size)
    return size if w <= width else max(smallest, size * width / w)


def _draw_static(c: Canvas, layout: CertificateLayout, page: _Page, images: dict[bytes, ImageReader]) -> None:
    """What a layout draws the same on every page, drawn once into a form."""
    w, h = page.width, page.height
    if layout.background:
        reader = images.get(layout.background)
        if reader is None:
            reader = images[layout.background] = ImageReader(io.BytesIO(layout.background))
        c.drawImage(reader, 0, 0, w, h, preserveAspectRatio=False, mask="auto")
    if layout.border:
        m = layout.margin_mm * mm
        c.setStrokeColorRGB(0.55, 0.1, 0.1)
        c.setLineWidth(2.2)
        c.rect(m, m, w - 2 * m, h - 2 * m, stroke=1, fill=0)
        c.setLineWidth(0.6)
        c.rect(m + 4, m + 4, w - 2 * m - 8, h - 2 * m - 8, stroke=1, fill=0)
        c.setStrokeColorRGB(0, 0, 0)
    size = layout.header_size
    top = h - page.pad - size
    motto_size = _fit(MOTTO, BOLD, size, 2 * (w - page.pad - page.right_x), 6)
    c.setFont(BOLD, motto_size)
    c.drawCentredString(page.right_x, top, MOTTO)
    c.setFont(BOLD, motto_size + 0.5)
    c.drawCentredString(page.right_x, top - size * 1.35, MOTTO_2)
    rule = _width(MOTTO_2, BOLD, motto_size + 0.5)
    c.setLineWidth(0.6)
    y = top - size * 1.35 - size * 0.5
    c.line(page.right_x - rule / 2, y, page.right_x + rule / 2, y)
    title_y = h - page.pad - TITLE_DROP
    c.setFont(BOLD, layout.title_size)
    c.setFillColorRGB(0.6, 0.05, 0.05)
    c.drawCentredString(w / 2, title_y, layout.title)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(BOLD, layout.body_size + 2)
    c.drawCentredString(w / 2, title_y - layout.title_size * 0.95, layout.subtitle)


def _page_for(c: Canvas, layout: CertificateLayout, n: int, images: dict[bytes, ImageReader]) -> _Page:
    w, h = PAGES[layout.page]
    pad = layout.margin_mm * mm + 18
    issuer_column = min(300.0, (w - 2 * pad) * 0.42)
    motto_column = min(300.0, (w - 2 * pad) * 0.58)
    page = _Page(w, h, pad, pad + issuer_column / 2, w - pad - motto_column / 2, f"bdtx-cert-layout-{n}")
    c.beginForm(page.form, lowerx=0, lowery=0, upperx=w, uppery=h)
    _draw_static(c, layout, page, images)
    c.endForm()
    return page


@functools.lru_cache(maxsize=64)
def _qr_matrix(url: str) -> tuple[tuple[int, ...], ...]:
    """The QR code's modules. Cached a little: a bulk job draws each certificate twice in a row (its
    own PDF for the .zip, then its page of the combined PDF), and the encoding is most of the work."""
    return tuple(tuple(row) for row in segno.make(url, error="m", boost_error=False).matrix)


def _draw_qr(c: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector rectangles, one per horizontal run of dark modules, in module units."""
    matrix = _qr_matrix(url)
    n = len(matrix)
    c.saveState()
    c.translate(x, y + size)
    c.scale(size / n, -size / n)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        start = -1
        for col, dark in enumerate(row):
            if dark and start < 0:
                start = col
            elif not dark and start >= 0:
                path.rect(start, r, col - start, 1)
                start = -1
        if start >= 0:
            path.rect(start, r, n - start, 1)
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _module_lines(
    modules: Sequence[tuple[str, str]], width: float, size: float, columns: int, gap: float
) -> tuple[list[list[tuple[str, str]]], float]:
    """Wrap each (title, hours) into lines of a column; return the lines per entry and the column width."""
    col_width = (width - gap * (columns - 1)) / columns
    hours_width = _width("000 tiết", REGULAR, size) + 8
    entries = []
    for title, hours in modules:
        wrapped = simpleSplit(f"– {title}", REGULAR, size, col_width - hours_width) or [""]
        entries.append([(wrapped[0], hours), *((f"   {line}", "") for line in wrapped[1:])])
    return entries, col_width


def _layout_modules(
    modules: Sequence[tuple[str, str]], width: float, height: float, base: float
) -> tuple[float, int, list[list[tuple[str, str]]], float, int]:
    """Choose a size and one or two columns so that every module fits `height`: one column down to
    9 pt, then two columns down to 6 pt. Returns size, columns, entries, column width, entries shown."""
    sizes = [base - 0.5 * i for i in range(int((base - 6) / 0.5) + 1)]
    plans = [(s, 1) for s in sizes if s >= 9] + [(s, 2) for s in sizes]
    for size, columns in plans:
        entries, col_width = _module_lines(modules, width, size, columns, 24)
        per_column = int(height // (size * 1.3))
        if _columns_needed(entries, per_column) <= columns:
            return size, columns, entries, col_width, len(entries)
    # Far too many for one page: show what fits and say how many more there are.
    size, columns = 6.0, 2
    entries, col_width = _module_lines(modules, width, size, columns, 24)
    per_column = int(height // (size * 1.3))
    shown, lines = 0, 0
    for entry in entries:
        if lines + len(entry) > per_column * columns - 1:
            break
        lines += len(entry)
        shown += 1
    return size, columns, entries, col_width, shown


def _columns_needed(entries: list[list[tuple[str, str]]], per_column: int) -> int:
    """Columns an entry list takes when an entry is never split across two columns."""
    if per_column <= 0:
        return 99
    columns, used = 1, 0
    for entry in entries:
        if used + len(entry) > per_column:
            columns, used = columns + 1, 0
        used += len(entry)
    return columns


def _draw_page(c: Canvas, data: CertificateData, layout: CertificateLayout, page: _Page) -> None:
    c.doForm(page.form)
    w = page.width
    pad = page.pad
    size = layout.header_size
    top = page.height - pad - size

    # Issuer block, left: managing authority, issuer (bold), short rule, number.
    lines = [line for line in (data.managing_authority, data.issuer_name) if line] or list(layout.issuer_lines)
    column = page.left_x - pad
    y = top
    for i, line in enumerate(lines):
        font = BOLD if i == len(lines) - 1 and len(lines) > 1 else REGULAR
        fitted = _fit(line, font, size, 2 * column, 7)
        c.setFont(font, fitted)
        c.drawCentredString(page.left_x, y, line)
        y -= size * 1.35
    if lines:
        rule = min(90.0, _width(lines[-1], BOLD, size) * 0.4)
        c.setLineWidth(0.6)
        rule_y = y + size * 1.35 - size * 0.5
        c.line(page.left_x - rule / 2, rule_y, page.left_x + rule / 2, rule_y)
        y -= 6
    c.setFont(REGULAR, size)
    c.drawCentredString(page.left_x, y, f"Số: {data.number}")

    # The person.
    body = layout.body_size
    left, right = pad + 40, w - pad - 40
    y = page.height - pad - TITLE_DROP - layout.title_size * 0.95 - 38
    label = "Chứng nhận ông/bà: "
    label_width = _width(label, ITALIC, body)
    name_size = _fit(data.full_name, BOLD, layout.name_size, right - left - label_width, 8)
    x = (w - label_width - _width(data.full_name, BOLD, name_size)) / 2
    c.setFont(ITALIC, body)
    c.drawString(x, y, label)
    c.setFont(BOLD, name_size)
    c.setFillColorRGB(0.05, 0.15, 0.45)
    c.drawString(x + label_width, y, data.full_name)
    c.setFillColorRGB(0, 0, 0)
    y -= body * 2
    label = "Đơn vị công tác: "
    c.setFont(REGULAR, body)
    c.drawString(left, y, label)
    unit_x = left + _width(label, REGULAR, body)
    c.setFont(BOLD, _fit(data.unit_name, BOLD, body, right - unit_x, 7))
    c.drawString(unit_x, y, data.unit_name)
    y -= body * 1.5
    c.setFont(REGULAR, body)
    intro = f"Đã hoàn thành chương trình bồi dưỡng thường xuyên năm học {data.school_year_label}, gồm các nội dung:"
    for line in simpleSplit(intro, REGULAR, body, right - left):
        c.drawString(left, y, line)
        y -= body * 1.3
    y -= body * 0.15

    # Modules with periods, down to the signer's block; the result line follows them.
    signer_top = pad + 108
    room = y - (signer_top + body * 1.6)
    modules = [(title, f"{hours_text(h)} tiết") for title, h in data.modules]
    msize, columns, entries, col_width, shown = _layout_modules(modules, right - left, room, body)
    leading = msize * 1.3
    per_column = int(room // leading)
    if columns == 2:  # balance the two columns
        half = -(-sum(len(e) for e in entries[:shown]) // 2)
        while _columns_needed(entries[:shown], half) > 2:
            half += 1
        per_column = min(per_column, half)
    x, row = left, 0
    for entry in entries[:shown]:
        if row + len(entry) > per_column:
            x, row = x + col_width + 24, 0
        for text, hours in entry:
            ly = y - row * leading
            c.setFont(REGULAR, msize)
            c.drawString(x, ly, text)
            if hours:
                c.drawRightString(x + col_width, ly, hours)
            row += 1
    rows_used = row if columns == 1 else per_column
    if shown < len(entries):
        c.setFont(ITALIC, msize)
        c.drawString(x, y - row * leading, f"… và {len(entries) - shown} nội dung khác")
    y -= max(rows_used, 1) * leading + body * 0.6
    c.setFont(REGULAR, body)
    total = f"Tổng số: {hours_text(data.total_hours)} tiết.    Kết quả: "
    c.drawString(left, y, total)
    c.setFont(BOLD, body)
    c.drawString(left + _width(total, REGULAR, body), y, data.result_label)

    # Place, date, signer (right).
    c.setFont(ITALIC, body)
    c.drawCentredString(page.right_x, signer_top, data.place_and_date)
    c.setFont(BOLD, body)
    ty = signer_top - body * 1.45
    for line in (data.signer_title or layout.signer_title).split("\n"):
        c.drawCentredString(page.right_x, ty, line)
        ty -= body * 1.3
    c.drawCentredString(page.right_x, pad + 4, data.signer_name or layout.signer_name)

    # QR code and the small print (left).
    qr = 66.0
    _draw_qr(c, data.verification_url, pad - 6, pad - 8, qr)
    small = layout.small_size
    c.setFont(REGULAR, small)
    sx = pad - 6 + qr + 6
    c.drawString(sx, pad + qr - 16, f"Số: {data.number}")
    c.drawString(sx, pad + qr - 16 - small * 1.4, "Tra cứu giấy chứng nhận:")
    c.drawString(sx, pad + qr - 16 - small * 2.8, data.verification_url)


def _normalised(data: CertificateData) -> CertificateData:
    return CertificateData(
        full_name=nfc(data.full_name),
        unit_name=nfc(data.unit_name),
        school_year_label=nfc(data.school_year_label),
        result_label=nfc(data.result_label),
        modules=[(nfc(t), h) for t, h in data.modules],
        number=nfc(data.number),
        issued_on=data.issued_on,
        place=nfc(data.place),
        verification_url=data.verification_url.strip(),
        issuer_name=nfc(data.issuer_name),
        managing_authority=nfc(data.managing_authority),
        signer_title="\n".join(nfc(line) for line in data.signer_title.split("\n")),
        signer_name=nfc(data.signer_name),
    )


def render_certificates(items: Iterable[tuple[CertificateData, CertificateLayout]]) -> bytes:
    """One PDF holding one page per (certificate, layout), in order."""
    register_fonts()
    out = io.BytesIO()
    c = Canvas(out, pagesize=PAGES["A4 landscape"], pageCompression=1)
    c.setTitle("Giấy chứng nhận hoàn thành bồi dưỡng thường xuyên")
    c.setCreator("BDTX")
    pages: dict[CertificateLayout, _Page] = {}
    images: dict[bytes, ImageReader] = {}
    for data, layout in items:
        page = pages.get(layout)
        if page is None:
            page = pages[layout] = _page_for(c, layout, len(pages), images)
        c.setPageSize((page.width, page.height))
        _draw_page(c, _normalised(data), layout, page)
        c.showPage()
    c.save()
    return out.getvalue()


def render_certificate(data: CertificateData, layout: CertificateLayout) -> bytes:
    """One certificate, one page."""
    return render_certificates([(data, layout)])
