"""Build the .docx template of Biểu 3 (bdtx/bieu3/data/bieu3.docx).

The layout is the unit plan's (Nghị định 30/2020/NĐ-CP: A4, Times New Roman, the two-column header,
"Nơi nhận" and the signature block; `plans`' build_plan_template draws its pieces), the content the
form's of seed letter 003: sections I to VIII in its order, each figure of section II a table of
the modules with counts and shares of women, ethnic minority and difficult area.

Run this command after changing the layout and commit the resulting file:

    .venv/bin/python manage.py build_bieu3_template
"""

from pathlib import Path

from django.core.management.base import BaseCommand
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bdtx.plans.management.commands.build_plan_template import (
    CENTER,
    TEXT_WIDTH_CM,
    administrative_document,
    grid_table,
    para,
    rule,
    save_reproducible,
    signature_block,
    tag,
)

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "data" / "bieu3.docx"
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
FIGURE_HEADERS = ["TT", "{label}", "Tổng số", "Nữ", "Tỷ lệ", "DTTS", "Tỷ lệ", "Vùng KK", "Tỷ lệ"]
FIGURE_CELLS = [
    "{{ r.n }}",
    "{{ r.label }}",
    "{{ r.total }}",
    "{{ r.women }}",
    "{{ r.women_pct }}",
    "{{ r.minority }}",
    "{{ r.minority_pct }}",
    "{{ r.difficult }}",
    "{{ r.difficult_pct }}",
]
FIGURE_WIDTHS = [1.2, 4.6, 1.5, 1.1, 1.7, 1.3, 1.7, 1.6, 1.8]


def heading(doc: object, text: str) -> None:
    para(doc, ("b", text), before=6, keep_next=True)


def text_section(doc: object, key: str, *, numbered: bool = True) -> None:
    """A sub-heading of the form with the office's text below it, a paragraph per line."""
    if numbered:
        para(doc, ("b", f"{{{{ t.{key}.number }}}}. {{{{ t.{key}.heading }}}}:"), indent=True, keep_next=True)
    tag(doc, f"{{%p for line in t.{key}.lines %}}")
    para(doc, "{{ line }}", indent=True)
    tag(doc, "{%p endfor %}")


def build(path: Path = TEMPLATE_PATH) -> Path:
    doc = administrative_document("Báo cáo kết quả bồi dưỡng (Biểu 3)")

    # Title.
    para(doc, ("b", "Biểu 3"), size=13, align=RIGHT, before=6, after=0)
    para(doc, ("b", "{{ title }}"), align=CENTER, before=6, after=0)
    para(doc, ("i", "{{ audience_note }}"), size=13, align=CENTER, after=0)
    para(doc, "", size=4, after=0)  # room between the note and the rule under the title
    rule(doc, 3.5, TEXT_WIDTH_CM)

    # I. General information.
    heading(doc, "I. THÔNG TIN CHUNG")
    para(doc, "Cơ sở bồi dưỡng: {{ institution }}", indent=True)
    para(doc, "Sở GDĐT: {{ so_name }}", indent=True)
    para(doc, "Thời gian thực hiện: {{ period }} (năm học {{ school_year }}).", indent=True)
    para(doc, "Tên (các) mô đun bồi dưỡng:", indent=True, keep_next=True)
    tag(doc, "{%p for m in modules %}")
    para(doc, "- {{ m }}", indent=True)
    tag(doc, "{%p endfor %}")
    para(doc, "Thời điểm báo cáo: {{ report_date }}.", indent=True)

    # II. Results, a table per figure.
    heading(doc, "II. KẾT QUẢ TẬP HUẤN MÔ ĐUN BỒI DƯỠNG")
    tag(doc, "{%p for s in section_ii %}")
    para(doc, ("b", "{{ s.number }}."), " {{ s.heading }}:", indent=True, keep_next=True)
    headers = [h.format(label="Mô đun") for h in FIGURE_HEADERS]
    grid_table(doc, headers, FIGURE_CELLS, FIGURE_WIDTHS, "r in s.rows")
    tag(doc, "{%p if s.note %}")
    para(doc, ("i", "{{ s.note }}"), size=13, indent=True, before=3)
    tag(doc, "{%p endif %}")
    para(doc, "", size=6, after=0)
    tag(doc, "{%p endfor %}")

    # III. Learners' feedback.
    heading(doc, "III. KẾT QUẢ Ý KIẾN PHẢN HỒI CỦA NGƯỜI HỌC")
    para(doc, ("b", "3.1."), " Tổng số và tỷ lệ học viên trả lời phiếu hỏi: {{ survey.responses }}", indent=True)
    para(
        doc, ("b", "3.2."), " Tỷ lệ học viên trả lời hài lòng với mô đun bồi dưỡng: {{ survey.satisfied }}", indent=True
    )
    para(doc, ("b", "3.3."), " Các ý kiến trả lời các câu hỏi mở:", indent=True, keep_next=True)
    tag(doc, "{%p for a in survey.open %}")
    para(doc, "- {{ a }}", indent=True)
    tag(doc, "{%p endfor %}")

    # IV. Assessments (the office's text).
    heading(doc, "IV. CÁC ĐÁNH GIÁ VỀ TRIỂN KHAI TẬP HUẤN MÔ ĐUN BỒI DƯỠNG")
    for key in (
        "assess_general",
        "assess_preparation",
        "assess_lecturers",
        "assess_mentors",
        "assess_it",
        "assess_management",
        "assess_coordination",
    ):
        text_section(doc, key)

    # V. Next steps, with their counts.
    heading(doc, "V. KẾ HOẠCH TIẾP THEO CỦA ĐƠN VỊ")
    para(doc, "Số lượng học viên cần tiếp tục đôn đốc, hỗ trợ:", indent=True, keep_next=True)
    grid_table(doc, [h.format(label="Nội dung") for h in FIGURE_HEADERS], FIGURE_CELLS, FIGURE_WIDTHS, "r in next_rows")
    para(doc, ("b", "Các hoạt động khác:"), indent=True, before=6, keep_next=True)
    text_section(doc, "other_activities", numbered=False)

    # VI–VIII (the office's text).
    heading(doc, "VI. CÁC ĐỀ XUẤT CHỈNH SỬA NỘI DUNG VÀ TÀI LIỆU BỒI DƯỠNG VÀ PHƯƠNG PHÁP TỔ CHỨC BỒI DƯỠNG")
    text_section(doc, "proposals", numbered=False)
    heading(doc, "VII. TRUYỀN THÔNG")
    for key in ("comms_direct", "comms_indirect", "comms_impact"):
        text_section(doc, key)
    heading(doc, "VIII. CÁC KHUYẾN NGHỊ (bao gồm truyền thông)")
    text_section(doc, "recommendations", numbered=False)

    # How the figures are counted.
    para(doc, ("bi", "Ghi chú cách tính số liệu:"), size=12, before=9, after=0, keep_next=True)
    tag(doc, "{%p for d in definitions %}")
    para(doc, ("i", "- {{ d }}"), size=12, after=0)
    tag(doc, "{%p endfor %}")

    # Recipients | signature.
    signature_block(doc, stamp_note=True)
    return save_reproducible(doc, path)


class Command(BaseCommand):
    help = "Build the .docx template of Biểu 3 (commit the file it writes)."

    def handle(self, *args: object, **options: object) -> None:
        path = build()
        self.stdout.write(f"wrote {path}")
