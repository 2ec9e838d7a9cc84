"""Unit list export: rows only; core.exporters writes the .xlsx."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bdtx.core.exporters import Column
from bdtx.organisations.models import Unit


def unit_columns() -> list[Column]:
    return [
        Column(_("No."), 6),
        Column(_("Code"), 12, "text"),
        Column(_("Name"), 40),
        Column(_("Kind"), 22),
        Column(_("Levels"), 22),
        Column(_("Ownership"), 14),
        Column(_("School type"), 22),
        Column(_("Difficult area"), 10),
        Column(_("Parent unit"), 36),
        Column(_("Address"), 30),
        Column(_("Dissolved on"), 12, "date"),
    ]


def unit_rows(qs: QuerySet[Unit]) -> Iterator[list[Any]]:
    yes = _("Yes")
    for n, u in enumerate(qs.iterator(chunk_size=2000), start=1):
        yield [
            n,
            u.code,
            u.name,
            u.get_kind_display(),
            u.level_labels(),
            u.get_ownership_display(),
            u.get_school_type_display(),
            yes if u.difficult_area else "",
            u.parent.name if u.parent else "",
            u.address,
            u.dissolved_on,
        ]
