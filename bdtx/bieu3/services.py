"""Writes of Biểu 3 reports: create one for a unit, save its text sections and particulars, delete a
draft. Each checks that the writer files reports at the report's unit itself (`bieu3_writable`: its
own staff; the Sở reads a commune's report but does not write, sign or delete it) and writes one
audit entry."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bdtx.bieu3.models import TEXT_FIELDS, TEXT_SECTIONS, Audience, Bieu3Report
from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.core.text import nfc
from bdtx.organisations.models import Unit, UnitKind

# Units that file Biểu 3: the offices and the Sở (not schools, centres or institutions).
REPORTING_KINDS = (UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.DEPARTMENT)
PARTICULARS = ("institution", "number", "report_date", "signer_title", "signer_name")


def bieu3_writable(*, scope: Scope, unit: Unit) -> bool:
    """May `scope` write the Biểu 3 reports of `unit`? Its own staff filing reports may (and the
    system's administrators); the offices above it read them and file their own."""
    return scope.holds_at(Perm.REPORTS_FILE, unit)


def bieu3_require_writable(*, scope: Scope, unit: Unit) -> None:
    """PermissionDenied (403) unless `bieu3_writable`."""
    if not bieu3_writable(scope=scope, unit=unit):
        raise PermissionDenied


def _period_text(start: date, end: date) -> str:
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


@transaction.atomic
def bieu3_create(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    period_from: date,
    period_to: date,
    modules: list[Module],
    audience: str = Audience.GENERAL,
) -> Bieu3Report:
    """A new draft Biểu 3 of `unit` (an office or the Sở) for the period and modules."""
    bieu3_require_writable(scope=scope, unit=unit)
    if unit.kind not in REPORTING_KINDS:
        raise ValidationError(_("Biểu 3 is filed by an office or the Department of Education."))
    if period_from > period_to:
        raise ValidationError(_("The period ends before it starts."))
    if not modules:
        raise ValidationError(_("Choose at least one module."))
    if audience not in Audience.values:
        raise ValidationError(_("Unknown audience."))
    report = Bieu3Report.objects.create(
        unit=unit,
        school_year=school_year,
        audience=audience,
        period_from=period_from,
        period_to=period_to,
        created_by_id=scope.user_id,
        updated_by_id=scope.user_id,
    )
    report.modules.set(modules)
    audit_record(
        actor_id=scope.user_id,
        action="bieu3.create",
        obj=report,
        unit_path=unit.path,
        changes={
            "period": [None, _period_text(period_from, period_to)],
            "modules": [None, ", ".join(sorted(m.code for m in modules))],
            "audience": [None, audience],
        },
    )
    return report


@transaction.atomic
def bieu3_update_texts(
    *, scope: Scope, report: Bieu3Report, texts: dict[str, str], particulars: dict[str, object] | None = None
) -> Bieu3Report:
    """Save the text sections (IV–VIII) and the particulars (number, date, signer, institution) the
    office typed. Only the keys given change; the audit entry names the sections that changed."""
    bieu3_require_writable(scope=scope, unit=report.unit)
    report = Bieu3Report.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)
    changed: list[str] = []
    numbers = {name: n for name, n, _h in TEXT_SECTIONS}
    for name, typed in texts.items():
        if name not in TEXT_FIELDS:
            raise ValidationError(f"unknown section {name!r}")
        text = _paragraphs(typed)
        if getattr(report, name) != text:
            setattr(report, name, text)
            changed.append(numbers[name])
    changes: dict[str, list[object]] = {}
    for name, value in (particulars or {}).items():
        if name not in PARTICULARS:
            raise ValidationError(f"unknown field {name!r}")
        new = nfc(value).strip() if isinstance(value, str) else value
        old = getattr(report, name)
        if old != new:
            setattr(report, name, new)
            changes[name] = [_text(old), _text(new)]
    if changed:
        changes["sections"] = [None, ", ".join(changed)]
    report.updated_by_id = scope.user_id
    report.save()
    audit_record(actor_id=scope.user_id, action="bieu3.update", obj=report, unit_path=report.unit.path, changes=changes)
    return report


def _paragraphs(typed: str | None) -> str:
    """The text as typed, each line normalised (`nfc`), its paragraphs kept: one per line."""
    return "\n".join(line for line in (nfc(raw) for raw in (typed or "").splitlines()) if line)


def _text(value: object) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@transaction.atomic
def bieu3_delete(*, scope: Scope, report: Bieu3Report) -> None:
    """Delete a report (it is a draft kept in the app; the filed document is the signed Word file)."""
    bieu3_require_writable(scope=scope, unit=report.unit)
    audit_record(actor_id=scope.user_id, action="bieu3.delete", obj=report, unit_path=report.unit.path)
    report.delete()
