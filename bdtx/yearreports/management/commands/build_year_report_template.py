"""Build the .docx template of the yearly BDTX results report (bdtx/yearreports/data/bao_cao_ket_qua.docx).

The same administrative layout as the unit plan's (Nghị định 30/2020/NĐ-CP), drawn with the plan
template's builders: header (issuing authority, number | national motto, place and date), title,
"Kính gửi", the figures in three tables (staff and results; per programme; per module), "Nơi nhận"
and the signature block. A4 across (landscape): the tables have ten and eleven columns, too narrow
to read on a page's width. Run after changing the layout and commit the file:

    .venv/bin/python manage.py build_year_report_template
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from bdtx.plans.management.commands.build_plan_template import (
    CENTER,
    LANDSCAPE_TEXT_WIDTH_CM,
    administrative_document,
    grid_table,
    para,
    rule,
    save_reproducible,
    signature_block,
    tag,
)

TEMPLATE_PATH = Path(__file__).resolve().parents[2] / "data" / "bao_cao_ket_qua.docx"
GROUPS = ["Tổng số", "Nữ", "DTTS", "Nữ DTTS", "Vùng khó khăn"]


def build(path: Path = TEMPLATE_PATH) -> Path:
    doc = administrative_document("Báo cáo kết quả bồi dưỡng thường xuyên", landscape=True)

    para(doc, ("b", "BÁO CÁO"), align=CENTER, before=18, after=0)
    para(doc, ("b", "Kết quả bồi dưỡng thường xuyên giáo viên, cán bộ quản lý"), align=CENTER, after=0)
    para(doc, ("b", "năm học {{ school_year }}"), align=CENTER, after=0)
    rule(doc, 3.5, LANDSCAPE_TEXT_WIDTH_CM)
    tag(doc, "{%p if parent_name %}")
    para(doc, "Kính gửi: {{ parent_name }}.", align=CENTER, before=6)
    tag(doc, "{%p endif %}")
    para(
        doc,
        "{{ unit_name_plain }} báo cáo kết quả bồi dưỡng thường xuyên năm học {{ school_year }} như sau:",
        indent=True,
        before=6,
    )
    para(doc, "{{ basis }}", indent=True)

    para(doc, ("b", "I. SỐ GIÁO VIÊN, CÁN BỘ QUẢN LÝ VÀ KẾT QUẢ"), before=6, keep_next=True)
    grid_table(
        doc,
        ["TT", "Đối tượng", *GROUPS, "Hoàn thành", "Tỷ lệ %", "Không hoàn thành", "Chưa có kết quả"],
        [
            "{{ r.n }}",
            "{{ r.label }}",
            *(f"{{{{ r.people[{i}] }}}}" for i in range(5)),
            "{{ r.completed }}",
            "{{ r.percent }}",
            "{{ r.not_completed }}",
            "{{ r.no_result }}",
        ],
        [1.0, 6.4, 1.9, 1.9, 1.9, 1.9, 1.9, 2.0, 1.7, 2.3, 2.3],  # 25.2 cm: the text's width
        "r in outcome_rows",
    )
    para(doc, "(DTTS: dân tộc thiểu số; số liệu theo nhóm tính trên số người thuộc đối tượng.)", size=11, after=0)

    for title, loop in (
        ("II. KẾT QUẢ THEO CHƯƠNG TRÌNH BỒI DƯỠNG", "r in programme_rows"),
        ("III. KẾT QUẢ THEO MÔ ĐUN (CHƯƠNG TRÌNH 03)", "r in module_rows"),
    ):
        para(doc, ("b", title), before=9, keep_next=True)
        grid_table(
            doc,
            [
                "TT",
                "Chương trình, mô đun",
                "Tham gia",
                *GROUPS[1:],
                "Hoàn thành",
                "Tỷ lệ %",
                "Không hoàn thành",
            ],
            [
                "{{ r.n }}",
                "{{ r.label }}",
                *(f"{{{{ r.enrolled[{i}] }}}}" for i in range(5)),
                "{{ r.completed }}",
                "{{ r.percent }}",
                "{{ r.not_completed }}",
            ],
            [1.0, 9.6, 1.9, 1.7, 1.7, 1.9, 2.0, 2.0, 1.4, 2.0],
            loop,
        )

    para(doc, "{{ snapshot_note }}", indent=True, before=9, size=12)
    para(
        doc,
        "Trên đây là báo cáo kết quả bồi dưỡng thường xuyên năm học {{ school_year }} của {{ unit_name_plain }}./.",
        indent=True,
        before=6,
        keep_next=True,
    )

    signature_block(doc, width=LANDSCAPE_TEXT_WIDTH_CM)
    return save_reproducible(doc, path)


class Command(BaseCommand):
    help = "Build the .docx template of the yearly BDTX results report."

    def handle(self, *args: object, **options: object) -> None:
        self.stdout.write(str(build()))
