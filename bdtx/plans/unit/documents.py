"""Documents of unit plans: the plan as a .docx in the administrative layout, and the participant
lists per module (seed 003's "biểu 1, biểu 2") as .xlsx.

The .docx fills `bdtx/plans/data/ke_hoach_truong.docx` (built by `manage.py build_plan_template`) with
docxtpl, autoescaped: a unit called "A & B <C>" stays text. Its fixed wording is Vietnamese, as an
official document's is, whatever the language of the screens; so are the few labels below.
"""

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from docxtpl import DocxTemplate

from bdtx.core.exporters import Column, write_xlsx, xlsx_response
from bdtx.core.models import SchoolYear
from bdtx.organisations.letterhead import letterhead, place_of
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.models import KINH_CODE, Gender, Position
from bdtx.people.services import sensitive_read_record
from bdtx.plans.models import Form, PlanItem, UnitPlan
from bdtx.plans.unit.selectors import (
    LineView,
    figures_view,
    is_school_like,
    parent_in_year,
    participants,
    principal_of,
)
from bdtx.regimes.models import Regime

TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "ke_hoach_truong.docx"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Official wording (Vietnamese in any interface language).
PROGRAMME_VI = {
    "BD01": "Chương trình bồi dưỡng 01 (do Bộ Giáo dục và Đào tạo quy định)",
    "BD02": "Chương trình bồi dưỡng 02 (do Sở Giáo dục và Đào tạo quy định)",
    "BD03": "Chương trình bồi dưỡng 03 (các mô đun tự chọn)",
}
FORM_VI: dict[str, str] = {Form.IN_PERSON: "Tập trung", Form.DISTANCE: "Từ xa", Form.BLENDED: "Bán tập trung"}
BLANK = "\u00a0" * 6  # room for the number written by the clerk


def place_name(unit: Unit, school_year: SchoolYear) -> str:
    """The place of issue (địa danh, NĐ 30/2020): the commune, district or province the unit sits in."""
    where: Unit | None = unit
    if is_school_like(unit):
        where = parent_in_year(unit=unit, school_year=school_year)
    if where is None or where.kind == UnitKind.MINISTRY:
        return "Hà Nội"
    return place_of(where.name)


def vn_date_parts(day: date) -> dict[str, str]:
    """Days below 10 and months 1 and 2 are written with a leading zero (NĐ 30/2020, Phụ lục I)."""
    return {
        "day": f"{day.day:02d}" if day.day < 10 else str(day.day),
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": str(day.year),
    }


def _line(n: int, line: LineView) -> dict[str, Any]:
    forms = line.form_list
    if len(forms) == 1:
        form_text = FORM_VI[forms[0].code]
    else:
        form_text = ", ".join(f"{FORM_VI[f.code]} ({f.people})" for f in forms)
    if line.from_label and line.from_label != line.to_label:
        time = f"{line.from_label} – {line.to_label}"
    else:
        time = line.from_label or "Cả năm học"
    title = f"{line.code}: {line.title}" if line.code else line.title
    return {
        "n": n,
        "title": title,
        "hours": line.hours,
        "people": line.people,
        "forms": form_text,
        "time": time,
    }


def unit_plan_context(plan: UnitPlan) -> dict[str, Any]:
    """Everything the .docx template shows, from the plan's compiled figures."""
    unit, year = plan.unit, plan.school_year
    parent = parent_in_year(unit=unit, school_year=year)
    figures = figures_view(plan.figures)
    try:
        regime: Regime | None = Regime.objects.for_year(year)
    except Regime.DoesNotExist:
        regime = None
    issued = timezone.localdate(plan.submitted_at) if plan.submitted_at else timezone.localdate()
    head = principal_of(unit=unit, school_year=year) if is_school_like(unit) else None
    lh = letterhead(unit, parent=parent, head_name=head.full_name if head else "")
    units = figures.units
    coverage = ""
    if units:
        coverage = (
            f" Số liệu tổng hợp từ kế hoạch đã phê duyệt của {units.approved}/{units.total} đơn vị trực thuộc"
            f" ({figures.schools} trường)."
        )
    programmes = [
        {
            "label": PROGRAMME_VI.get(p.code, p.label),
            "summary": f"Số người thực hiện: {p.people}; tổng số tiết: {p.periods}.",
            "lines": [_line(n, line) for n, line in enumerate(p.lines, start=1)],
        }
        for p in figures.programmes
    ]
    months: list[dict[str, Any]] = [{"label": str(int(m.key[5:7])), "people": m.people} for m in figures.months][:12]
    months += [{"label": "", "people": ""}] * (12 - len(months))
    parent_plain = parent.name if parent else ""
    recipients = [f"{parent_plain} (để báo cáo);"] if parent else []
    recipients += [
        "Giáo viên, cán bộ quản lý (để thực hiện);"
        if is_school_like(unit)
        else "Các đơn vị trực thuộc (để thực hiện);",
        "Lưu: VT.",
    ]
    categories = ", ".join(c.get("label", "") for c in regime.result_categories) if regime else ""
    return {
        "governing_body": lh.governing_body,
        "parent_name_plain": parent_plain or "cấp trên",
        "unit_name": lh.name,
        "unit_name_plain": unit.name,
        "number": plan.number or f"{BLANK}/KH-{lh.abbr}",
        "place": place_name(unit, year),
        **vn_date_parts(issued),
        "school_year": year.label,
        "legal_source": regime.legal_source if regime else "các văn bản hướng dẫn hiện hành",
        "regime_name": regime.name if regime else "",
        "total_hours": regime.total_hours if regime else 120,
        "pass_mark": f"{regime.pass_mark.normalize():f}" if regime else "5",
        "categories": categories or "Hoàn thành, Không hoàn thành kế hoạch bồi dưỡng thường xuyên",
        "staff_total": figures.staff.total,
        "staff_gv": figures.staff.teachers,
        "staff_cbql": figures.staff.managers,
        "planned_total": figures.planned.total,
        "coverage": coverage,
        "basis": (
            f"kế hoạch bồi dưỡng thường xuyên cá nhân đã được phê duyệt của giáo viên, cán bộ quản lý thuộc {unit.name}"
            if is_school_like(unit)
            else "kế hoạch bồi dưỡng thường xuyên đã được phê duyệt của các đơn vị trực thuộc"
        ),
        "programmes": programmes,
        "forms": [
            {"label": FORM_VI[f.code], "people": f.people, "n_items": f.items, "periods": f.periods}
            for f in figures.forms
        ],
        "months": months,
        "is_school": is_school_like(unit),
        "recipients": recipients,
        "signer_prefix": lh.signer_prefix,
        "signer_title": lh.signer_title,
        "signer_name": lh.signer_name,
    }


def docx_from_template(template: Path, context: dict[str, Any]) -> bytes:
    """A Word template (docxtpl) filled with `context`, always autoescaped (the project's rule: a
    name holding "<" or "&" must not break the document's XML)."""
    tpl = DocxTemplate(str(template))
    tpl.render(context, autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def unit_plan_docx(*, plan: UnitPlan) -> bytes:
    """The plan as a Word document, filled from its compiled figures."""
    return docx_from_template(TEMPLATE, unit_plan_context(plan))


def unit_plan_filename(plan: UnitPlan) -> str:
    return f"ke-hoach-bdtx-{slugify(plan.unit.code) or 'don-vi'}-{plan.school_year.label}.docx"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- participant lists -------------------------------------------------------------------------


def participant_columns(*, sensitive: bool) -> list[Column]:
    cols = [Column(_("No."), 6), Column(_("Full name"), 26), Column(_("Date of birth"), 12, "date")]
    if sensitive:
        cols += [
            Column(_("Female"), 7),
            Column(_("Ethnicity"), 12),
            Column(_("Ethnic minority"), 9),
            Column(_("Difficult area"), 9),
        ]
    cols += [
        Column(_("Unit"), 32),
        Column(_("Position"), 18),
        Column(_("School level"), 8),
        Column(_("Module"), 50),
        Column(_("Form"), 14),
    ]
    return cols


def participant_rows(items: Any, *, sensitive: bool, counter: list[int]) -> Iterator[list[Any]]:
    positions, forms = dict(Position.choices), dict(Form.choices)
    for n, item in enumerate(items.iterator(chunk_size=2000), start=1):
        item: PlanItem  # type: ignore[no-redef]
        person = item.plan.person
        row: list[Any] = [n, person.full_name, person.date_of_birth]
        if sensitive:
            ethnicity = person.ethnicity
            row += [
                "x" if person.gender == Gender.FEMALE else "",
                ethnicity.name if ethnicity else "",
                "x" if ethnicity and ethnicity.code != KINH_CODE else "",
                "x" if item.job_difficult else "",  # the person's post (`participants`)
            ]
        module = item.module
        row += [
            item.plan.unit.name,
            str(positions.get(item.job_position, "")),
            item.job_level or "",
            f"{module.code}: {module.title}" if module else item.title,
            str(forms.get(item.form, item.form)),
        ]
        counter[0] = n
        yield row


def participants_xlsx(
    *, unit: Unit, school_year: SchoolYear, module_uuid: str = "", sensitive: bool
) -> tuple[bytes, int]:
    """Who takes which programme 03 module under `unit` that year; returns the file and its row count."""
    counter = [0]
    items = participants(unit=unit, school_year=school_year, module_uuid=module_uuid)
    content = write_xlsx(
        title=_("Participants by module, school year %(y)s") % {"y": school_year.label},
        subtitle=f"{unit.name} — " + _("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=participant_columns(sensitive=sensitive),
        rows=participant_rows(items, sensitive=sensitive, counter=counter),
    )
    return content, counter[0]


def participants_sensitive_logged(*, actor_id: int | None, unit: Unit, count: int) -> None:
    sensitive_read_record(
        actor_id=actor_id, person=None, unit_path=unit.path, what="participants by module (.xlsx)", count=count
    )


def participants_filename(unit: Unit, school_year: SchoolYear) -> str:
    return f"danh-sach-hoc-mo-dun-{slugify(unit.code) or 'don-vi'}-{school_year.label}.xlsx"


__all__ = [
    "docx_response",
    "participants_filename",
    "participants_sensitive_logged",
    "participants_xlsx",
    "unit_plan_docx",
    "unit_plan_filename",
    "xlsx_response",
]
