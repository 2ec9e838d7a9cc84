"""A person's BDTX record as a PDF (A4 portrait): the same content as the page, in tables, with the
vendored Noto Serif faces (`bdtx.certificates.render.register_fonts`), page numbers, dates dd/mm/yyyy."""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from bdtx.certificates.render import BOLD, REGULAR, register_fonts
from bdtx.records.selectors import Record, YearRecord

TITLE = "HỒ SƠ BỒI DƯỠNG THƯỜNG XUYÊN"
MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
GRID = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#e9eef4")


def _d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def _n(value: Decimal | None) -> str:
    """8.50 → '8,5' (Vietnamese decimal comma)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


class _Styles:
    def __init__(self) -> None:
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5)
        grey = colors.HexColor("#444")
        self.small = ParagraphStyle("small", parent=self.body, fontSize=8, leading=10, textColor=grey)
        self.cell = ParagraphStyle("cell", parent=self.body, fontSize=8.5, leading=10.5)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=BOLD)
        self.title = ParagraphStyle("title", parent=self.body, fontName=BOLD, fontSize=14, leading=18, alignment=1)
        self.unit = ParagraphStyle("unit", parent=self.body, fontName=BOLD, fontSize=10, leading=13)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=4)


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _table(rows: list[list[Any]], widths: list[float], st: _Styles, *, header: bool = True) -> Table:
    data = [
        [c if isinstance(c, Flowable) else _p(c, st.head if header and i == 0 else st.cell) for c in row]
        for i, row in enumerate(rows)
    ]
    t = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    t.setStyle(TableStyle(style))
    return t


def _result_status(r: Any) -> str:
    if r.status == "recognised":
        who = r.recognised_unit.name if r.recognised_unit else ""
        return _("Recognised on %(when)s") % {"when": _d(r.recognised_at)} + (f" · {who}" if who else "")
    if r.status == "proposed":
        return _("Proposed on %(when)s") % {"when": _d(r.proposed_at)}
    return _("Computed on %(when)s, not yet proposed") % {"when": _d(r.computed_at)}


def _year(y: YearRecord, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = []
    heading = _("School year %(y)s") % {"y": y.school_year.label}
    if y.unit_name:
        heading += f" — {y.unit_name}"
    out.append(_p(heading, st.h2))
    r = y.result
    out.append(_p(_("Year result"), st.h3))
    if r is None:
        out.append(_p(_("No result yet."), st.small))
    else:
        rows = [[_("Result"), r.label], [_("Average"), _n(r.average) or "—"]]
        rows.append([_("Status"), _("Imported from earlier records") if r.source == "imported" else _result_status(r)])
        for label, value in getattr(r, "component_rows", []):
            rows.append([label, value])
        reasons = getattr(r, "reason_texts", [])
        if reasons:  # one row, the reasons one per line (each already says what is missing)
            rows.append([_("Not completed because"), Paragraph("<br/>".join(escape(t) for t in reasons), st.cell)])
        if r.note:
            rows.append([_("Note"), r.note])
        if y.certificate is not None:
            c = y.certificate
            status = str(c.get_status_display())
            if c.is_revoked and c.revoked_at is not None:
                status += " " + c.revoked_at.strftime("%d/%m/%Y")
            rows.append([_("Certificate"), f"{c.number} — {status}"])
        out.append(_table(rows, [55 * mm, WIDTH - 55 * mm], st, header=False))
    if y.mentor_hours:
        out.append(Spacer(1, 3))
        out.append(
            _p(
                _("As a core teacher: %(n)s learners supported, counted as %(h)s periods (tiết quy đổi).")
                % {"n": y.mentor_learners, "h": _n(y.mentor_hours)},
                st.body,
            )
        )
    out.append(_p(_("Personal BDTX plan"), st.h3))
    p = y.plan
    if p is None:
        out.append(_p(_("No plan recorded for this year."), st.small))
    else:
        status = f"{p.get_status_display()}" + (f" {_d(p.decided_at)}" if p.decided_at else "")
        out.append(_p(f"{status} · {p.regime.name}", st.small))
        rows = [[_("Programme"), _("Content / module"), _("Periods")]]
        for item in p.items.all():
            title = f"{item.module.code} {item.title}" if item.module else item.title
            rows.append([item.programme, title, str(item.hours)])
        if len(rows) > 1:
            out.append(_table(rows, [22 * mm, WIDTH - 40 * mm, 18 * mm], st))
    if y.enrolments:
        out.append(_p(_("Modules and contents attended"), st.h3))
        rows = [[_("Module / content"), _("Attendance"), _("Completion signals"), _("Scores")]]
        mark = y.pass_mark
        e: Any  # an enrolment with the annotations of `record_build`
        for e in y.enrolments:
            when = f"{_d(e.starts_on)}–{_d(e.ends_on)}" if e.starts_on else ""
            state = (
                e.get_status_display()
                if e.status != "enrolled"
                else (_("module completed") if e.completed else _("not completed"))
            )
            what = "\n".join(x for x in (e.cohort.subject, e.cohort.name, when, state) if x)
            if e.sessions_held:
                attendance = _("%(a)s of %(n)s (%(r)s required)") % {
                    "a": e.sessions_attended,
                    "n": e.sessions_held,
                    "r": e.sessions_required,
                }
            else:
                attendance = _("No in-person sessions.")
            signals = "\n".join(
                f"{s.party}: "
                + (_("not yet") if s.passed is None else _("passed") if s.passed else _("not passed"))
                + (f" ({s.source}, {_d(s.at)})" if s.source else "")
                for s in e.signal_rows
            )
            scores = "\n".join(f"{sc.component.name}: {_n(sc.value)}" for sc in e.scores.all())
            scores = scores or _("No score recorded.")
            if mark is not None:
                scores += "\n" + _("pass mark %(m)s") % {"m": _n(mark)}
            rows.append([_lines(what, st), attendance, _lines(signals, st), _lines(scores, st)])
        out.append(_table(rows, [58 * mm, 30 * mm, 52 * mm, WIDTH - 140 * mm], st))
    return out


def _lines(text: str, st: _Styles) -> Paragraph:
    return Paragraph("<br/>".join(escape(line) for line in text.split("\n")), st.cell)


def record_pdf(record: Record) -> bytes:
    """The record as one PDF: a header with the unit and the title, the person, then every year."""
    register_fonts()
    st = _Styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 5 * mm,
        title=f"{TITLE} — {record.person.full_name}",
        author="BDTX",
    )
    e = record.employment
    story: list[Flowable] = []
    if e is not None:
        story.append(_p(e.unit.name.upper(), st.unit))
    story += [Spacer(1, 6), _p(TITLE, st.title), Spacer(1, 8)]
    who = [[_("Full name"), record.person.full_name]]
    if record.person.date_of_birth:
        who.append([_("Date of birth"), _d(record.person.date_of_birth)])
    if e is not None:
        who.append([_("Unit"), f"{e.unit.name} ({e.school_year_id}-{e.school_year_id + 1})"])
        who.append([_("Position"), str(e.get_position_display())])
    story.append(_table(who, [40 * mm, WIDTH - 40 * mm], st, header=False))
    if not record.years:
        story.append(Spacer(1, 6))
        story.append(_p(_("Nothing is recorded yet: no plan, no module, no result."), st.body))
    for y in record.years:
        parts = _year(y, st)
        story.append(KeepTogether(parts[:3]))
        story += parts[3:]
    printed = _("Printed on %(d)s") % {"d": _d(timezone.localdate())}

    def footer(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(colors.HexColor("#555"))
        canvas.drawString(MARGIN, MARGIN - 2 * mm, f"{record.person.full_name} · {printed}")
        canvas.drawRightString(A4[0] - MARGIN, MARGIN - 2 * mm, _("Page %(n)d") % {"n": doc_.page})
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
