"""Fixtures of the catalog tests: the shipped catalogs' modules by code, seed 003's focus modules."""

from datetime import date

import pytest

from bdtx.catalog.models import FocusModule, Module
from bdtx.core.scope import SYSTEM
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create

YEAR = 2026  # the current school year of the test world (today is 23/11/2026)

# Seed 003 (Sở GD&ĐT Cao Bằng, 1395/SGDĐT-ĐTBD): programme 03 modules by role and level.
SEED_003 = {
    ("GVPT", ""): [("GDPT2018-GV-QD4660", "MĐ 04"), ("GDPT2018-GV-QD4660", "MĐ 05"), ("GDPT2018-GV-QD4660", "MĐ 09")],
    ("QLPT", ""): [("GDPT2018-QL-QD4660", "MĐ 04"), ("GDPT2018-QL-QD4660", "MĐ 05"), ("GDPT2018-QL-QD4660", "MĐ 09")],
    ("GVMN", "MN"): [("GVMN-TT12-2019", "GVMN 04"), ("GVMN-TT12-2019", "GVMN 19")],
    ("QLMN", "MN"): [("QLMN-TT11-2019", "QLMN 11"), ("QLMN-TT11-2019", "QLMN 13")],
}


def module(catalog_code: str, code: str) -> Module:
    return Module.objects.get(catalog__code=catalog_code, code=code)


@pytest.fixture
def mn_a(world) -> Unit:
    """A preschool in province A."""
    return unit_create(
        scope=SYSTEM,
        kind=UnitKind.SCHOOL,
        name="Trường Mầm non Hoa Sen",
        code="MN-A1",
        parent=world.u("xa_a1"),
        valid_from=date(2000, 1, 1),
        levels=["MN"],
    )


@pytest.fixture
def seed_003_focus(world) -> list[FocusModule]:
    """Province A's focus modules of seed 003, priorities in the letter's order."""
    rows = []
    for (_audience, level), modules in SEED_003.items():
        for priority, (catalog_code, code) in enumerate(modules, start=1):
            rows.append(
                FocusModule.objects.create(
                    unit=world.u("so_a"),
                    school_year_id=YEAR,
                    module=module(catalog_code, code),
                    school_level=level,
                    priority=priority,
                )
            )
    return rows


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["STT", "Mã mô đun", "Tên mô đun", "Số tiết", "Lý thuyết", "Thực hành", "Tiêu chí"]


def catalog_file(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    """A catalog sheet as an office types it: a title row, a blank row, the header, the modules."""
    from bdtx.core.tests.xlsx import build_xlsx

    return build_xlsx([["DANH MỤC MÔ ĐUN BỒI DƯỠNG"], [], header or HEADER, *rows])


@pytest.fixture
def upload_catalog(world):  # type: ignore[no-untyped-def]
    """upload_catalog(content, catalog_code, user=…, new_version=…, check_only=…) → the job after its check."""
    from bdtx.catalog.models import Catalog
    from bdtx.imports.tests.jobs import run_upload

    def _upload(  # type: ignore[no-untyped-def]
        content: bytes, catalog_code: str = "GVPT-TT17-2019", *, user: str = "sysadmin", new_version=None, **kw
    ):
        options: dict[str, object] = {"catalog": Catalog.objects.get(code=catalog_code)}
        if new_version is not None:
            options["new_version"] = new_version
        return run_upload(
            kind="catalog",
            content=content,
            user=world.users[user],
            unit=world.u("bo"),
            filename="danh muc.xlsx",
            school_year=None,
            options=options,
            **kw,
        )

    return _upload


@pytest.fixture
def confirm_catalog(world):  # type: ignore[no-untyped-def]
    """confirm_catalog(job, only_valid=…) → the job after the national administrator confirmed it."""
    from bdtx.imports.tests.jobs import run_confirm

    return lambda job, *, only_valid: run_confirm(job, user=world.users["sysadmin"], only_valid=only_valid)
