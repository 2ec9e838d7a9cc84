"""Documents of the yearly results report: the report as a .docx in the administrative layout and its
figures as an .xlsx.

Both show the filed snapshot when the report has been filed, else what filing would store now (and
say so); for a viewer who does not see sensitive data, with the small group cells suppressed as on
the page (`suppress`: `bdtx.core.suppression`, see `bdtx.yearreports.views`). The .docx fills
`data/bao_cao_ket_qua.docx` (built by `manage.py build_year_report_template`) with docxtpl,
autoescaped. Its fixed wording is Vietnamese, as an official document's is.
"""

import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bdtx.core.exporters import TextWriter, new_workbook
from bdtx.core.models import SchoolYear
from bdtx.core.suppression import Cell
from bdtx.organisations.letterhead import letterhead
from bdtx.organisations.models import Unit
from bdtx.plans.unit.documents import BLANK, docx_from_template, place_name, vn_date_parts
from bdtx.plans.unit.selectors import is_school_like, parent_in_year, principal_of
from bdtx.yearreports.figures import ReportFigures
from bdtx.yearreports.models import ReportStatus, YearReport
from bdtx.yearreports.selectors import (
    OUTCOME_MEASURES,
    PART_MEASURES,
    OutcomeRow,
    PartRow,
    figures_to_file,
    module_rows,
    outcome_rows,
    programme_rows,
)

TEMPLATE = Path(__file__).resolve().parent / "data" / "bao_cao_ket_qua.docx"
PROGRAMME_VI = {
    "BD01": "Chương trình bồi dưỡng 01",
    "BD02": "Chương trình bồi dưỡng 02",
    "BD03": "Chương trình bồi dưỡng 03",
}
SUPPRESSION_NOTE_VI = (
    "Số liệu theo nhóm dưới 5 người ghi “<5”; số liệu về dân tộc có thể làm lộ người cụ thể (suy ra được"
    " bằng phép trừ, hoặc cho biết mọi người trong một nhóm đều là người dân tộc thiểu số) ghi “x”."
)


def _figures(unit: Unit, school_year: SchoolYear, report: YearReport | None) -> tuple[ReportFigures, bool]:
    """The figures a document shows and whether they are the filed ones."""
    if report is not None and report.status != ReportStatus.DRAFT:
        return report.figures, True
    return figures_to_file(unit=unit, school_year=school_year), False


def _outcome(n: int, r: OutcomeRow) -> dict[str, Any]:
    o = r.outcome
    return {
        "n": n,
        "label": ("    " * max(0, r.level - 1)) + r.label,
        "people": [str(c) for c in r.people_cells],
        "completed": o.completed.total,
        "percent": r.percent,
        "not_completed": o.not_completed.total,
        "no_result": o.no_result.total,
    }


def _part(n: int, r: PartRow, label: str | None = None) -> dict[str, Any]:
    return {
        "n": n,
        "label": label or r.label,
        "enrolled": [str(c) for c in r.enrolled_cells],
        "completed": r.part.completed.total,
        "percent": r.percent,
        "not_completed": r.part.not_completed.total,
    }


def report_context(*, unit: Unit, school_year: SchoolYear, report: YearReport | None, suppress: bool) -> dict[str, Any]:
    """What the .docx template is filled with; `suppress`: the viewer does not see sensitive data."""
    figures, filed = _figures(unit, school_year, report)
    parent = parent_in_year(unit=unit, school_year=school_year)
    head = principal_of(unit=unit, school_year=school_year) if is_school_like(unit) else None
    lh = letterhead(unit, parent=parent, head_name=head.full_name if head else "")
    when = report.filed_at if filed and report and report.filed_at else timezone.now()
    issued = timezone.localdate(when)
    if filed:
        note = f"Số liệu chốt khi gửi báo cáo lúc {timezone.localtime(when):%H:%M ngày %d/%m/%Y}."
    else:
        note = f"Số liệu tạm tính ngày {issued:%d/%m/%Y}, báo cáo chưa được gửi."
    if suppress:
        note = f"{note} {SUPPRESSION_NOTE_VI}"
    basis = (
        f"Số liệu lấy từ danh sách cán bộ quản lý, giáo viên và kết quả bồi dưỡng của {unit.name}."
        if is_school_like(unit)
        else f"Số liệu tổng hợp từ báo cáo đã gửi của {figures.reports} trường, cơ sở giáo dục trực thuộc."
    )
    parent_name = parent.name if parent else ""
    recipients = [f"{parent_name} (để báo cáo);"] if parent else []
    recipients.append("Lưu: VT.")
    return {
        "governing_body": lh.governing_body,
        "unit_name": lh.name,
        "unit_name_plain": unit.name,
        "number": f"{BLANK}/BC-{lh.abbr}",
        "place": place_name(unit, school_year),
        **vn_date_parts(issued),
        "school_year": school_year.label,
        "parent_name": parent_name,
        "basis": basis,
        "outcome_rows": [_outcome(n, r) for n, r in enumerate(outcome_rows(figures, suppress=suppress), start=1)],
        "programme_rows": [
            _part(n, r, PROGRAMME_VI.get(r.code))
            for n, r in enumerate(programme_rows(figures, suppress=suppress), start=1)
        ],
        "module_rows": [_part(n, r) for n, r in enumerate(module_rows(figures, suppress=suppress), start=1)],
        "snapshot_note": note,
        "recipients": recipients,
        "signer_prefix": lh.signer_prefix,
        "signer_title": lh.signer_title,
        "signer_name": lh.signer_name,
    }


def report_docx(*, unit: Unit, school_year: SchoolYear, report: YearReport | None, suppress: bool) -> bytes:
    context = report_context(unit=unit, school_year=school_year, report=report, suppress=suppress)
    return docx_from_template(TEMPLATE, context)


def report_xlsx(*, unit: Unit, school_year: SchoolYear, report: YearReport | None, suppress: bool) -> bytes:
    """The report's three tables on one sheet, each figure in the five groups (small group cells
    suppressed when `suppress`: the viewer does not see sensitive data)."""
    figures, filed = _figures(unit, school_year, report)
    groups = [_("Total"), _("Women"), _("Ethnic minority"), _("Ethnic-minority women"), _("Difficult area")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.xlsx"
        wb = new_workbook(path, constant_memory=True, tmpdir=tmp)
        w = TextWriter(wb)
        bold = w.format({"bold": True})
        head = w.format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"})
        ws = wb.add_worksheet(_("Results report")[:31])
        ws.set_column(0, 0, 44)
        ws.set_column(1, 22, 11)
        row = 0
        w.write(ws, row, 0, _("BDTX results report, school year %(y)s") % {"y": school_year.label}, bold)
        row += 1
        w.write(ws, row, 0, unit.name)
        row += 1
        when = report.filed_at if filed and report else None
        w.write(
            ws,
            row,
            0,
            _("Filed on %(d)s") % {"d": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")}
            if when
            else _("Not filed: today's figures (%(d)s)") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        )
        row += 1
        if suppress:
            w.write(
                ws,
                row,
                0,
                _(
                    "Group figures under 5 people are shown as “<5”, and an ethnicity figure that would give"
                    " people away, by subtraction or because everyone in a group is of an ethnic minority, as"
                    " “x”, so that nobody's ethnicity can be read off the figures."
                ),
            )
            row += 1
        row += 1

        def cells(values: list[Cell], first_col: int) -> None:
            for col, cell in enumerate(values, start=first_col):
                if cell.hidden:
                    w.write(ws, row, col, str(cell))
                else:
                    ws.write_number(row, col, cell.value or 0)

        def header(first: str, blocks: list[str]) -> None:
            nonlocal row
            w.write(ws, row, 0, first, head)
            col = 1
            for block in blocks:
                for g in groups:
                    w.write(ws, row, col, f"{block}: {g}", head)
                    col += 1
            row += 1

        header(_("Staff"), [_("People"), _("Completed"), _("Not completed"), _("No result yet")])
        for r in outcome_rows(figures, suppress=suppress):
            w.write(ws, row, 0, ("  " * r.level) + r.label, bold if r.level < 2 else None)
            cells([c for m in OUTCOME_MEASURES for c in r.shown(m)], 1)
            row += 1
        row += 1
        parts = (
            (_("Programme"), programme_rows(figures, suppress=suppress)),
            (_("Module"), module_rows(figures, suppress=suppress)),
        )
        for title, rows in parts:
            header(title, [_("Enrolled"), _("Completed"), _("Not completed")])
            for p in rows:
                w.write(ws, row, 0, p.label)
                cells([c for m in PART_MEASURES for c in p.shown(m)], 1)
                row += 1
            row += 1
        wb.close()
        return path.read_bytes()


def report_filename(unit: Unit, school_year: SchoolYear, ext: str) -> str:
    return f"bao-cao-ket-qua-bdtx-{slugify(unit.code) or 'don-vi'}-{school_year.label}.{ext}"
