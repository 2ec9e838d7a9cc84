"""Biểu 3 as a Word document in the administrative layout (Nghị định 30/2020/NĐ-CP).

The .docx fills `bdtx/bieu3/data/bieu3.docx` (built by `manage.py build_bieu3_template`) with
docxtpl, autoescaped: an office's text "A & B <C>" stays text. Its wording is the form's own
Vietnamese, as an official document's is, whatever the language of the screens.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from bdtx.bieu3.figures import Breakdown, Figures, ModuleFigures, percent_text
from bdtx.bieu3.models import TEXT_SECTIONS, Bieu3Report
from bdtx.bieu3.selectors import report_figures, report_modules
from bdtx.core.scope import ancestor_paths
from bdtx.organisations.letterhead import letterhead
from bdtx.organisations.models import Unit, UnitKind
from bdtx.plans.unit.documents import BLANK, docx_from_template, docx_response, place_name, vn_date_parts
from bdtx.plans.unit.selectors import parent_in_year

TEMPLATE = Path(__file__).resolve().parent / "data" / "bieu3.docx"

TITLES = {
    False: "BÁO CÁO KẾT QUẢ BỒI DƯỠNG GIÁO VIÊN PHỔ THÔNG VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC PHỔ THÔNG",
    True: "BÁO CÁO KẾT QUẢ BỒI DƯỠNG GIÁO VIÊN MẦM NON VÀ CÁN BỘ QUẢN LÝ GIÁO DỤC MẦM NON",
}

# Section II as on the form: (number, the form's wording, the figure of a module's row).
SECTION_II: list[tuple[str, str, str]] = [
    (
        "2.1",
        "Tổng số giáo viên/cán bộ quản lý, trong đó số học viên là nữ, là người dân tộc thiểu số, công tác tại"
        " vùng khó khăn",
        "in_scope",
    ),
    ("2.2", "Tổng số giáo viên/cán bộ quản lý đã tham gia mô đun bồi dưỡng (số liệu và tỷ lệ %)", "joined"),
    ("2.3", "Tổng số giáo viên/cán bộ quản lý đã hoàn thành mô đun bồi dưỡng", "completed"),
    ("2.4", "Số lượng giáo viên/cán bộ quản lý chưa hoàn thành (so với số liệu tại 2.1)", "not_completed"),
    (
        "2.5",
        "Tổng số giáo viên cốt cán/cán bộ quản lý cốt cán đã hoàn thành kế hoạch hỗ trợ đồng nghiệp tại"
        " trường/cụm trường",
        "mentors_done",
    ),
]

# What each figure counts: printed under the tables and on the page.
DEFINITIONS: list[str] = [
    "Mục 2.1: người đang công tác (kể cả tạm nghỉ) trong năm học tại các đơn vị thuộc địa bàn (theo cơ cấu"
    " tổ chức của năm học đó), đúng cấp học của"
    " báo cáo, có kế hoạch BDTX cá nhân đã được phê duyệt gồm mô đun.",
    "Mục 2.2: lượt học viên của địa bàn đang học hoặc chờ xếp lớp trong các lớp của mô đun có lịch học trong"
    " thời gian báo cáo (lớp tự học qua mạng không có lịch học: tính trong cả năm học);"
    " mục 2.3: trong số đó, học viên đã hoàn thành mô đun; mục 2.4 = 2.2 − 2.3.",
    "Mục 2.5: giáo viên/CBQL cốt cán phụ trách nhóm có học viên tại mục 2.2 đã đánh giá tất cả học viên"
    " trong các nhóm của mình.",
    "Mục III: theo các phiếu khảo sát của các lớp tại mục 2.2; phiếu trả lời ẩn danh nên tỷ lệ tính trên toàn"
    " bộ học viên của các lớp; kết quả chỉ hiển thị khi có từ 5 phiếu.",
    "Mục V: 5.1 học viên có bài thực hành mới nhất chưa được giáo viên cốt cán đánh giá; 5.2 a) = 2.4;"
    " 5.2 b) học viên tại mục 2.2 (không tính người chờ xếp lớp) chưa trả lời phiếu khảo sát;"
    " 5.3 người tại mục 2.1 chưa đăng ký học mô đun.",
    "Nữ: giới tính nữ; DTTS: dân tộc khác dân tộc Kinh; vùng KK: vị trí công tác tại vùng khó khăn."
    " Tỷ lệ % tính trên tổng số của dòng. Dòng Cộng là tổng số lượt của các mô đun.",
]


def _row(n: int | str, label: str, b: Breakdown) -> dict[str, Any]:
    return {"n": n, "label": label, **b.cells()}


def _module_label(m: ModuleFigures) -> str:
    return f"{m.module.code}: {m.module.title}" if m.module else "Cộng"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] or ["…"]


def section_ii(figures: Figures) -> list[dict[str, Any]]:
    """The five tables of section II: a row per module and the total."""
    out = []
    for number, heading, attr in SECTION_II:
        rows = [_row(i, _module_label(m), getattr(m, attr)) for i, m in enumerate(figures.modules, start=1)]
        rows.append(_row("", "Cộng", getattr(figures.total, attr)))
        note = ""
        t = figures.total
        if attr == "joined":
            note = f"Tỷ lệ tham gia so với mục 2.1: {percent_text(t.joined_pct)}."
        elif attr == "completed":
            note = f"Tỷ lệ hoàn thành so với số đã tham gia: {percent_text(t.completed_pct)}."
        elif attr == "not_completed":
            note = f"Tỷ lệ chưa hoàn thành so với mục 2.1: {percent_text(t.not_completed_pct)}."
        elif attr == "mentors_done":
            note = f"Số giáo viên/CBQL cốt cán phụ trách nhóm học viên: {t.mentors}."
        out.append({"number": number, "heading": heading, "rows": rows, "note": note})
    return out


def section_v(figures: Figures) -> list[dict[str, Any]]:
    t = figures.total
    return [
        _row(
            "5.1",
            "Đôn đốc giáo viên cốt cán, CBQL cốt cán hoàn thành đánh giá các bài thực hành của học viên",
            t.to_grade,
        ),
        _row("5.2 a", "Hỗ trợ học viên hoàn thành mô đun bồi dưỡng", t.not_completed),
        _row("5.2 b", "Đôn đốc học viên trả lời Phiếu khảo sát Online", figures.no_answer),
        _row(
            "5.3",
            "Hỗ trợ giáo viên, CBQL học tập mô đun bồi dưỡng (học viên chưa học mô đun)",
            t.not_started,
        ),
    ]


def section_iii(figures: Figures) -> dict[str, Any]:
    s = figures.surveys
    if not figures.survey_count:
        responses = "Chưa có phiếu khảo sát cho các lớp của báo cáo."
    else:
        responses = (
            f"{s.responses}/{s.enrolled} học viên trả lời phiếu hỏi"
            f" ({percent_text(figures.response_pct)}; {figures.survey_count} phiếu khảo sát)."
        )
    if s.suppressed:
        satisfied = "Chưa đủ 5 phiếu trả lời để công bố kết quả."
    else:
        satisfied = f"{percent_text(figures.satisfied_pct)} ({s.satisfied}/{s.responses} phiếu trả lời hài lòng)."
    answers = s.open_answers
    if answers is None:
        open_lines = ["Các lớp dùng các bộ câu hỏi khác nhau hoặc chưa đủ 5 phiếu trả lời."]
    else:
        open_lines = answers or ["Không có ý kiến."]
    return {"responses": responses, "satisfied": satisfied, "open": open_lines}


def province_department(unit: Unit) -> Unit | None:
    """The Sở above (or being) the unit."""
    if unit.kind == UnitKind.DEPARTMENT:
        return unit
    return Unit.objects.filter(path__in=ancestor_paths(unit.path), kind=UnitKind.DEPARTMENT).first()


def _vn_date(day: date) -> str:
    parts = vn_date_parts(day)
    return f"ngày {parts['day']} tháng {parts['month']} năm {parts['year']}"


def bieu3_context(report: Bieu3Report) -> dict[str, Any]:
    """Everything the template shows: the report's particulars and texts and its figures now."""
    unit, year = report.unit, report.school_year
    modules = report_modules(report)
    figures = report_figures(report, modules)  # a download waits for the figures
    assert isinstance(figures, Figures)
    parent = parent_in_year(unit=unit, school_year=year)
    lh = letterhead(unit, parent=parent)
    issued = report.report_date or timezone.localdate()
    so = province_department(unit)
    texts = {name: {"number": n, "heading": h, "lines": _lines(getattr(report, name))} for name, n, h in TEXT_SECTIONS}
    recipients = [f"{parent.name} (để báo cáo);"] if parent else []
    recipients.append("Lưu: VT.")
    return {
        "governing_body": lh.governing_body,
        "unit_name": lh.name,
        "number": report.number or f"{BLANK}/BC-{lh.abbr}",
        "place": place_name(unit, year),
        **vn_date_parts(issued),
        "title": TITLES[report.preschool],
        "audience_note": (
            "(Cấp Mầm non báo cáo theo biểu mẫu này, tách riêng)"
            if report.preschool
            else "(Cấp Mầm non báo cáo theo biểu mẫu này nhưng tách riêng)"
        ),
        "institution": report.institution or unit.name,
        "so_name": so.name if so else "",
        "unit_plain": unit.name,
        "school_year": year.label,
        "period": f"từ {_vn_date(report.period_from)} đến {_vn_date(report.period_to)}",
        "modules": [f"{m.code}: {m.title}" for m in modules],
        "report_date": _vn_date(issued),
        "section_ii": section_ii(figures),
        "survey": section_iii(figures),
        "next_rows": section_v(figures),
        "t": texts,
        "definitions": DEFINITIONS,
        "recipients": recipients,
        "signer_prefix": lh.signer_prefix,
        "signer_title": (report.signer_title or lh.signer_title).upper(),
        "signer_name": report.signer_name or lh.signer_name,
    }


def bieu3_docx(*, report: Bieu3Report) -> bytes:
    """The report as a Word document, its figures computed now."""
    return docx_from_template(TEMPLATE, bieu3_context(report))


def bieu3_filename(report: Bieu3Report) -> str:
    audience = "mam-non" if report.preschool else "pho-thong"
    return f"bieu-3-{slugify(report.unit.code) or 'don-vi'}-{audience}-{report.period_to:%Y-%m-%d}.docx"


__all__ = ["DEFINITIONS", "bieu3_docx", "bieu3_filename", "docx_response"]
