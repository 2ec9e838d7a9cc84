"""The assessments list as .xlsx: rows only; the writer lives in core.exporters.

Its criteria columns ("Tiêu chí 1" …, levels as T/K/Đ/CĐ) and "Xếp loại" are what the TEMIS
import reads, so a corrected export can be imported back. A rating computed without every
criterion of the circular is marked provisional, and the last column says why (its header is
kept clear of the words the import looks for).
"""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column
from bdtx.standards.importers import level_short
from bdtx.standards.models import Assessment, Level
from bdtx.standards.rating import numbers_left_out, result_gaps_reason

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
        Column(_("Why the rating is provisional"), 40),
    ]


def _label(level: int | None, gaps: tuple[int, ...] = ()) -> str:
    if not level:
        return ""
    label = str(Level(level).label)
    return f"{label} ({_('provisional')})" if gaps else label


def assessment_rows(qs: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """One row per assessment; the criteria show the evaluator's level, else the person's own.

    `qs` has the coverage of `selectors.with_result_coverage` (the circular's number of criteria)."""
    for n, a in enumerate(qs.iterator(chunk_size=1000), start=1):
        ratings = list(a.ratings.all())
        levels = {r.criterion.number: r.principal_level or r.self_level for r in ratings}
        total = a.criteria_total  # type: ignore[attr-defined]
        self_gaps = numbers_left_out(total, [r.criterion.number for r in ratings if r.self_level is not None])
        principal_gaps = numbers_left_out(total, [r.criterion.number for r in ratings if r.principal_level is not None])
        self_gaps = self_gaps if a.self_result else ()
        principal_gaps = principal_gaps if a.principal_result else ()
        final = a.principal_result or a.self_result
        final_gaps = principal_gaps if a.principal_result else self_gaps
        yield [
            n,
            a.person.full_name,
            a.person.date_of_birth,
            a.unit.name,
            a.framework.circular,
            a.get_status_display(),
            a.get_source_display(),
            _label(a.self_result, self_gaps),
            _label(a.principal_result, principal_gaps),
            timezone.localdate(a.submitted_at) if a.submitted_at else None,
            timezone.localdate(a.evaluated_at) if a.evaluated_at else None,
            *(level_short(levels.get(i)) for i in range(1, CRITERIA_COLUMNS + 1)),
            level_short(final),
            result_gaps_reason(a.framework, final_gaps),
        ]
