"""Staff list export: rows only; the .xlsx writer lives in core.exporters."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column
from bdtx.people.models import Employment


def staff_columns(*, sensitive: bool) -> list[Column]:
    cols = [
        Column(_("No."), 6),
        Column(_("Family name"), 14),
        Column(_("Middle name"), 14),
        Column(_("Given name"), 10),
        Column(_("Gender"), 8),
        Column(_("Date of birth"), 12, "date"),
    ]
    if sensitive:
        cols += [Column(_("Ethnicity"), 12), Column(_("Personal ID number"), 16, "text")]
    cols += [
        Column(_("Unit"), 36),
        Column(_("Position"), 18),
        Column(_("Teacher / manager"), 10),
        Column(_("School level"), 10),
        Column(_("Subjects"), 18),
        Column(_("Core teacher"), 8),
        Column(_("Difficult area"), 8),
        Column(_("Phone"), 14, "text"),
        Column(_("E-mail"), 26),
    ]
    return cols


def staff_rows(qs: QuerySet[Employment], *, sensitive: bool) -> Iterator[list[Any]]:
    yes = _("Yes")
    for n, e in enumerate(qs.iterator(chunk_size=2000), start=1):
        p = e.person
        row: list[Any] = [n, p.family_name, p.middle_name, p.given_name, p.get_gender_display(), p.date_of_birth]
        if sensitive:
            row += [p.ethnicity.name if p.ethnicity else "", p.personal_id or ""]
        row += [
            e.unit.name,
            e.get_position_display(),
            e.staff_type,
            e.school_level,
            e.subjects,
            yes if e.is_mentor else "",
            yes if e.unit.difficult_area else "",
            p.phone,
            p.email,
        ]
        yield row
