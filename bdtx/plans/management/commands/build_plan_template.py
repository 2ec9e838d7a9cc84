"""Build the .docx template of a unit's BDTX plan (bdtx/plans/data/ke_hoach_truong.docx).

The layout follows Nghị định 30/2020/NĐ-CP (administrative documents): A4, margins 20/20/30/15 mm,
Times New Roman; a two-column header with the issuing authority (the parent's name above the
unit's, the unit bold, a short rule under it) and the document number on the left, the national
motto with its rule and the place and date (italic) on the right; the title; numbered sections;
"Nơi nhận" bottom left and the signature block bottom right. The fixed wording is Vietnamese: it
is an official document, whatever language the user's screens are in.

The template holds docxtpl (Jinja) tags filled by `bdtx.plans.unit.documents`. Run this command after
changing the layout and commit the resulting file:

    .venv/bin/python manage.py build_plan_template
"""

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "data" / "ke_hoach_truong.docx"
FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # A4 21 cm − left 3 cm − right 1.5 cm
LANDSCAPE_TEXT_WIDTH_CM = 25.2  # A4 across, 29.7 cm − left 3 cm − right 1.5 cm

CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def _fonts(rpr_parent: object) -> None:
    """Times New Roman for every script (Vietnamese letters must not fall back to another font)."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def para(
    container: object,
    *parts: str | tuple[str, str],
    size: float = BODY_PT,
    align: object = JUSTIFY,
    indent: bool = False,
    before: float = 0,
    after: float = 3,
    keep_next: bool = False,
) -> Paragraph:
    """A paragraph of runs: plain strings, or (style, text) with style letters b/i/u."""
    p = container.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.1
    if indent:
        fmt.first_line_indent = Cm(1)
    if keep_next:
        fmt.keep_with_next = True
    for part in parts:
        style, text = part if isinstance(part, tuple) else ("", part)
        run = p.add_run(text)
        run.font.name, run.font.size = FONT, Pt(size)
        run.bold, run.italic = "b" in style or None, "i" in style or None
        run.underline = "u" in style or None
        _fonts(run._r)
    return p


def tag(container: object, text: str) -> Paragraph:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}): docxtpl drops the paragraph."""
    return para(container, text, size=2, after=0)


def rule(container: object, width_cm: float, box_cm: float) -> Paragraph:
    """A short centred horizontal line: the top border of an empty, indented paragraph."""
    p = para(container, "", size=2, align=CENTER, after=0)
    side = Cm(max(0.0, (box_cm - width_cm) / 2))
    p.paragraph_format.left_indent = side
    p.paragraph_format.right_indent = side
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    borders.append(top)
    ppr.append(borders)
    return p


def _cell_margins(table: Table, left_cm: float = 0.1) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(left_cm * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _widths(table: Table, widths: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(w * 567)))


def _clear(cell: _Cell) -> _Cell:
    """A fresh cell keeps one empty paragraph: remove it so the cell holds only what we add."""
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)
    return cell


def _row_flag(row: object, flag: str) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement(f"w:{flag}")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _repeat_header(row: object) -> None:
    _row_flag(row, "tblHeader")


def _cant_split(row: object) -> None:
    """Keep the row on one page: a module's line, or the whole signature block."""
    _row_flag(row, "cantSplit")


def _shade(cell: _Cell, fill: str = "F2F2F2") -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def grid_table(doc: object, headers: list[str], cells: list[str], widths: list[float], loop: str) -> Table:
    """A bordered table: a header row, then one row per item of `loop` ('l in p.lines')."""
    table = doc.add_table(rows=4, cols=len(headers))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        para(_clear(cell), ("b", text), size=12, align=CENTER, after=0)
        _shade(cell)
    _repeat_header(table.rows[0])
    _cant_split(table.rows[2])
    para(_clear(table.rows[1].cells[0]), f"{{%tr for {loop} %}}", size=2, after=0)
    for i, (cell, text) in enumerate(zip(table.rows[2].cells, cells, strict=True)):
        para(_clear(cell), text, size=12, align=LEFT if i == 1 else CENTER, after=0)
    para(_clear(table.rows[3].cells[0]), "{%tr endfor %}", size=2, after=0)
    for r in (1, 3):
        for cell in table.rows[r].cells[1:]:
            para(_clear(cell), "", size=2, after=0)
    _widths(table, widths)
    return table


def borderless(doc: object, widths: list[float]) -> Table:
    table = doc.add_table(rows=1, cols=len(widths))  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table, 0.05)
    _widths(table, widths)
    for cell in table.rows[0].cells:
        _clear(cell)
    return table


def build(path: Path = TEMPLATE_PATH) -> Path:
    doc = administrative_document("Kế hoạch bồi dưỡng thường xuyên")

    # Title.
    para(doc, ("b", "KẾ HOẠCH"), align=CENTER, before=18, after=0)
    para(doc, ("b", "Bồi dưỡng thường xuyên giáo viên, cán bộ quản lý"), align=CENTER, after=0)
    para(doc, ("b", "năm học {{ school_year }}"), align=CENTER, after=0)
    rule(doc, 3.5, TEXT_WIDTH_CM)
    para(
        doc,
        "Căn cứ {{ legal_source }};",
        indent=True,
        before=6,
    )
    para(doc, "Căn cứ {{ basis }},", indent=True)
    para(
        doc,
        "{{ unit_name_plain }} xây dựng kế hoạch bồi dưỡng thường xuyên năm học {{ school_year }} như sau:",
        indent=True,
    )

    # I. Purpose and requirements.
    para(doc, ("b", "I. MỤC ĐÍCH, YÊU CẦU"), before=6, keep_next=True)
    para(doc, ("b", "1. Mục đích"), indent=True, keep_next=True)
    para(
        doc,
        "Bồi dưỡng theo yêu cầu của vị trí việc làm; cập nhật kiến thức, kỹ năng chuyên ngành bắt buộc hằng năm"
        " đối với giáo viên, cán bộ quản lý; nâng cao phẩm chất, năng lực chuyên môn, nghiệp vụ, mức độ đáp ứng"
        " yêu cầu của chuẩn nghề nghiệp; phát triển năng lực tự học, tự bồi dưỡng.",
        indent=True,
    )
    para(doc, ("b", "2. Yêu cầu"), indent=True, keep_next=True)
    para(
        doc,
        "Mỗi giáo viên, cán bộ quản lý thực hiện đủ {{ total_hours }} tiết/năm học theo kế hoạch cá nhân đã được"
        " phê duyệt: chương trình bồi dưỡng 01, 02 và các mô đun tự chọn của chương trình bồi dưỡng 03.",
        indent=True,
    )
    para(
        doc,
        "Tổng số cán bộ quản lý, giáo viên thuộc đối tượng: {{ staff_total }} người"
        " (cán bộ quản lý: {{ staff_cbql }}; giáo viên: {{ staff_gv }}); đã có kế hoạch cá nhân được phê duyệt:"
        " {{ planned_total }} người.{{ coverage }}",
        indent=True,
    )

    # II. Content: one table per programme.
    para(doc, ("b", "II. NỘI DUNG"), before=6, keep_next=True)
    tag(doc, "{%p if not programmes %}")
    para(doc, "Chưa có số liệu kế hoạch được phê duyệt.", indent=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in programmes %}")
    para(doc, ("b", "{{ loop.index }}. {{ p.label }}"), indent=True, keep_next=True)
    para(doc, "{{ p.summary }}", indent=True, keep_next=True)
    grid_table(
        doc,
        ["TT", "Nội dung, mô đun bồi dưỡng", "Số tiết", "Số người", "Hình thức", "Thời gian"],
        [
            "{{ l.n }}",
            "{{ l.title }}",
            "{{ l.hours }}",
            "{{ l.people }}",
            "{{ l.forms }}",
            "{{ l.time }}",
        ],
        [1.0, 6.9, 1.4, 1.4, 3.0, 2.8],
        "l in p.lines",
    )
    para(doc, "", size=6, after=0)
    tag(doc, "{%p endfor %}")

    # III. Forms of organisation.
    para(doc, ("b", "III. HÌNH THỨC TỔ CHỨC"), before=6, keep_next=True)
    para(
        doc,
        "Kết hợp tự học, bồi dưỡng tại đơn vị (sinh hoạt chuyên môn) với bồi dưỡng tập trung, từ xa và bán tập"
        " trung theo quy định; số người theo từng hình thức:",
        indent=True,
    )
    tag(doc, "{%p for f in forms %}")
    form_line = "- {{ f.label }}: {{ f.people }} người, {{ f.n_items }} lượt nội dung, {{ f.periods }} tiết."
    para(doc, form_line, indent=True)
    tag(doc, "{%p endfor %}")
    para(doc, "Số người học theo tháng:", indent=True, keep_next=True)
    months = doc.add_table(rows=2, cols=13)
    months.style = "Table Grid"
    months.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(months, 0.03)
    para(_clear(months.rows[0].cells[0]), ("b", "Tháng"), size=11, align=CENTER, after=0)
    _shade(months.rows[0].cells[0])
    para(_clear(months.rows[1].cells[0]), ("b", "Số người"), size=11, align=CENTER, after=0)
    for i in range(12):
        para(_clear(months.rows[0].cells[i + 1]), f"{{{{ months[{i}].label }}}}", size=11, align=CENTER, after=0)
        _shade(months.rows[0].cells[i + 1])
        para(_clear(months.rows[1].cells[i + 1]), f"{{{{ months[{i}].people }}}}", size=11, align=CENTER, after=0)
    _widths(months, [1.9] + [1.2] * 12)
    for cell in months.rows[0].cells:  # keep the two rows on one page
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True

    # IV. Evaluation (from the regime).
    para(doc, ("b", "IV. ĐÁNH GIÁ, XẾP LOẠI"), before=9, keep_next=True)
    para(
        doc,
        "1. Đánh giá qua bài kiểm tra trắc nghiệm (nội dung lý thuyết), bài tập nghiên cứu, bài thu hoạch (nội dung"
        " thực hành); bài kiểm tra chấm theo thang điểm 10, đạt yêu cầu khi đạt từ {{ pass_mark }} điểm trở lên.",
        indent=True,
    )
    para(doc, "2. Xếp loại kết quả: {{ categories }}.", indent=True)
    para(doc, "3. Căn cứ: {{ regime_name }}.", indent=True)

    # V. Implementation.
    para(doc, ("b", "V. TỔ CHỨC THỰC HIỆN"), before=6, keep_next=True)
    tag(doc, "{%p if is_school %}")
    para(
        doc,
        ("b", "1. Hiệu trưởng: "),
        "chỉ đạo, hướng dẫn giáo viên, cán bộ quản lý thực hiện kế hoạch; tổ chức bồi dưỡng tại trường; kiểm tra,"
        " đánh giá, tổng hợp kết quả và báo cáo {{ parent_name_plain }} theo quy định.",
        indent=True,
    )
    para(
        doc,
        ("b", "2. Tổ trưởng chuyên môn: "),
        "tổ chức sinh hoạt chuyên môn gắn với nội dung bồi dưỡng; theo dõi, hỗ trợ thành viên của tổ.",
        indent=True,
    )
    para(
        doc,
        ("b", "3. Giáo viên, cán bộ quản lý: "),
        "thực hiện đầy đủ kế hoạch cá nhân; hoàn thành các bài kiểm tra, bài thu hoạch đúng thời hạn.",
        indent=True,
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        ("b", "1. {{ unit_name_plain }}: "),
        "chỉ đạo, kiểm tra việc thực hiện kế hoạch của các đơn vị trực thuộc; tổng hợp, báo cáo"
        " {{ parent_name_plain }} theo quy định.",
        indent=True,
    )
    para(
        doc,
        ("b", "2. Các đơn vị trực thuộc: "),
        "tổ chức thực hiện kế hoạch đã được phê duyệt; báo cáo kết quả đúng thời hạn.",
        indent=True,
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Trên đây là kế hoạch bồi dưỡng thường xuyên năm học {{ school_year }} của {{ unit_name_plain }}./.",
        indent=True,
        before=6,
        keep_next=True,
    )

    signature_block(doc)
    return save_reproducible(doc, path)


def administrative_document(title: str, *, landscape: bool = False) -> Any:
    """A new A4 document in the administrative layout (Decree 30/2020/NĐ-CP): margins, the body font,
    fixed properties, and the header — issuing authority, name and number on the left; the national
    motto, place and date on the right (docxtpl tags the documents fill). `landscape`: A4 across
    (the same margins; text `LANDSCAPE_TEXT_WIDTH_CM` wide), for a report of wide tables."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _fonts(normal.element)
    doc.core_properties.title = title
    doc.core_properties.author = "BDTX"
    # Fixed dates: rebuilding an unchanged layout gives the same file.
    doc.core_properties.created = doc.core_properties.modified = datetime(2026, 1, 1)
    doc.core_properties.last_modified_by = "BDTX"
    doc.core_properties.revision = 1

    # Header: issuing authority and number | national motto, place and date.
    scale = (LANDSCAPE_TEXT_WIDTH_CM if landscape else TEXT_WIDTH_CM) / TEXT_WIDTH_CM
    left_w, right_w = 6.8 * scale, 9.7 * scale
    head = borderless(doc, [left_w, right_w])
    left, right = head.rows[0].cells
    para(left, "{{ governing_body }}", size=13, align=CENTER, after=0)
    para(left, ("b", "{{ unit_name }}"), size=13, align=CENTER, after=0)
    rule(left, 2.6, left_w)
    para(left, "Số: {{ number }}", size=13, align=CENTER, before=6, after=0)
    para(right, ("b", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), size=13, align=CENTER, after=0)
    para(right, ("b", "Độc lập - Tự do - Hạnh phúc"), size=14, align=CENTER, after=0)
    rule(right, 6.2, right_w)
    para(right, ("i", "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year }}"), size=14, align=CENTER, before=6)
    return doc


def signature_block(doc: Any, *, stamp_note: bool = False, width: float = TEXT_WIDTH_CM) -> None:
    """ "Nơi nhận" bottom left, the signature bottom right (prefix, title, room to sign, name), kept on
    one page; `stamp_note` adds "(Ký tên, đóng dấu)" under the title, as forms like Biểu 3 ask;
    `width`: the text's (`LANDSCAPE_TEXT_WIDTH_CM` across)."""
    scale = width / TEXT_WIDTH_CM
    foot = borderless(doc, [7.5 * scale, 9.0 * scale])
    _cant_split(foot.rows[0])
    left, right = foot.rows[0].cells
    para(left, ("bi", "Nơi nhận:"), size=12, align=LEFT, before=12, after=0)
    tag(left, "{%p for r in recipients %}")
    para(left, "- {{ r }}", size=11, align=LEFT, after=0)
    tag(left, "{%p endfor %}")
    para(right, "", size=9, align=CENTER, after=0)
    tag(right, "{%p if signer_prefix %}")
    para(right, ("b", "{{ signer_prefix }}"), size=14, align=CENTER, after=0)
    tag(right, "{%p endif %}")
    para(right, ("b", "{{ signer_title }}"), size=14, align=CENTER, after=0)
    if stamp_note:
        para(right, ("i", "(Ký tên, đóng dấu)"), size=13, align=CENTER, after=0)
    for _ in range(3 if stamp_note else 4):
        para(right, "", size=14, align=CENTER, after=0)
    para(right, ("b", "{{ signer_name }}"), size=14, align=CENTER, after=0)


def save_reproducible(doc: Any, path: Path) -> Path:
    """Write `doc` to `path` so that an unchanged layout rebuilds byte for byte."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(_reproducible(buffer.getvalue()))
    return path


def _reproducible(content: bytes) -> bytes:
    """The same zip with fixed entry times, so an unchanged layout rebuilds byte for byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


class Command(BaseCommand):
    help = "Build the .docx template of a unit's BDTX plan (commit the file it writes)."

    def handle(self, *args: object, **options: object) -> None:
        path = build()
        self.stdout.write(f"wrote {path}")
