"""The catalog as .xlsx: the same columns the catalog import reads, so an office corrects and re-imports it."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Catalog, Module
from bdtx.core.exporters import Column, write_xlsx

# The file's headers are a format shared with the importer (like the staff template), not page text.
COLUMNS = [
    Column("STT", 5),
    Column("Mã mô đun", 12, kind="text"),
    Column("Tên mô đun", 60),
    Column("Đối tượng", 9),
    Column("Cấp học", 14),
    Column("Số tiết", 8),
    Column("Lý thuyết", 9),
    Column("Thực hành", 9),
    Column("Tiêu chí", 12, kind="text"),
    Column("Yêu cầu cần đạt", 40),
    Column("Độ tin cậy", 11),
    Column("Đang áp dụng", 8),
    Column("Nguồn", 50),
]


def catalog_rows(modules: list[Module]) -> Iterator[list[Any]]:
    for i, m in enumerate(modules, start=1):
        yield [
            i,
            m.code,
            m.title,
            m.audience,
            ", ".join(m.level_list),
            m.hours_total,
            m.hours_theory,
            m.hours_practice,
            ", ".join(str(c.number) for c in m.criteria.all()),
            m.outcomes,
            m.confidence,
            "x" if m.active else "không",
            m.source,
        ]


def catalog_xlsx(catalog: Catalog, modules: list[Module]) -> bytes:
    years = f"{catalog.first_year}-{catalog.first_year + 1} → " + (
        f"{catalog.last_year}-{catalog.last_year + 1}" if catalog.last_year else "…"
    )
    return write_xlsx(
        title=f"{catalog.name} ({catalog.circular})",
        subtitle=_("Catalog %(code)s, school years %(years)s — exported on %(d)s")
        % {"code": catalog.code, "years": years, "d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=COLUMNS,
        rows=catalog_rows(modules),
        sheet="Danh muc mo dun",
    )
