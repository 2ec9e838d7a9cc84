"""The assessments list as .xlsx: rows only; the writer lives in core.exporters.

Its criteria columns ("Tiêu chí 1" …, levels as T/K/Đ/CĐ) and "Xếp loại" are what the TEMIS
import reads, so a corrected export can be imported back.
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column
from bdtx.standards.importers import level_short
from bdtx.standards.models import Assessment, Level

CRITERIA_COLUMNS = 18  # the most criteria a 2018 standard has (TT 14, TT 25)


def assessment_columns() -> list[Column]:
    return [
        Column(_("No."), 6),
        Column(_("Full name"), 26),
        Column(_("Date of birth"), 12, "date"),
        Column(_("Unit"), 32),
        Column(_("Standard"), 22),
        Column(_("Status"), 18),
        Column(_("Source"), 12),
        Column(_("Self-assessed rating"), 12),
        Column(_("Evaluator's rating"), 12),
        Column(_("Submitted on"), 12, "date"),
        Column(_("Evaluated on"), 12, "date"),
        *(Column(f"Tiêu chí {n}", 6) for n in range(1, CRITERIA_COLUMNS + 1)),
        Column("Xếp loại", 10),
    ]


def _label(level: int | None) -> str:
    return str(Level(level).label) if level else ""


def assessment_rows(qs: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """One row per assessment; the criteria show the evaluator's level, else the person's own."""
    for n, a in enumerate(qs.iterator(chunk_size=1000), start=1):
        levels = {r.criterion.number: r.principal_level or r.self_level for r in a.ratings.all()}
        final = a.principal_result or a.self_result
        yield [
            n,
            a.person.full_name,
            a.person.date_of_birth,
            a.unit.name,
            a.framework.circular,
            a.get_status_display(),
            a.get_source_display(),
            _label(a.self_result),
            _label(a.principal_result),
            timezone.localdate(a.submitted_at) if a.submitted_at else None,
            timezone.localdate(a.evaluated_at) if a.evaluated_at else None,
            *(level_short(levels.get(i)) for i in range(1, CRITERIA_COLUMNS + 1)),
            level_short(final),
        ]
