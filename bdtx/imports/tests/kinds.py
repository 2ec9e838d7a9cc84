"""One case per kind of import, so every pipeline and page test runs for each importer alike.

A case says who uploads where, a clean file and a file with errors (and how many rows of it are
valid), who is outside the job's scope (404) and who sees it without the right (403), and how to
count what the kind writes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.catalog.models import Catalog, Module
from bdtx.core.tests.factories import UserFactory
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload
from bdtx.people.models import Person
from bdtx.people.tests.staff_files import MESSY_ERRORS, MESSY_VALID_ROWS, clean_staff_file, messy_staff_file
from bdtx.standards.models import Assessment

KINDS = ["staff", "catalog", "temis"]


@dataclass
class Case:
    kind: str
    uploader: User
    unit_key: str
    clean: bytes
    clean_rows: int
    messy: bytes
    messy_valid: int
    messy_errors: int
    outsider: User  # outside the job's unit: 404
    no_right: User  # sees the job's unit, may not import this kind there: 403
    written: Callable[[], int]  # how many objects of what this kind writes exist
    options: dict[str, Any] = field(default_factory=dict)
    world: Any = None

    def upload(self, content: bytes, **kw: Any) -> ImportJob:
        kw.setdefault("options", self.options)
        return run_upload(kind=self.kind, content=content, user=self.uploader, unit=self.world.u(self.unit_key), **kw)

    def confirm(self, job: ImportJob, *, only_valid: bool) -> ImportJob:
        return run_confirm(job, user=self.uploader, only_valid=only_valid)


def _catalog_file(rows: list[list[object]]) -> bytes:
    header = ["STT", "Mã mô đun", "Tên mô đun", "Số tiết", "Lý thuyết", "Thực hành", "Tiêu chí"]
    return build_xlsx([["DANH MỤC MÔ ĐUN BỒI DƯỠNG"], [], header, *rows])


def _temis_file(world: Any, *rows: tuple[str, list[str]]) -> bytes:
    header = ["STT", "Họ và tên", "Ngày sinh", "Số CCCD", *(f"Tiêu chí {i}" for i in range(1, 16)), "Xếp loại"]
    lines = []
    for n, (key, levels) in enumerate(rows, start=1):
        if key in world.people:
            p = world.people[key]
            lines.append([n, p.full_name, p.date_of_birth, p.personal_id, *levels, "Khá"])
        else:
            lines.append([n, key, "01/01/1980", None, *levels, "Khá"])
    return build_xlsx([["KẾT QUẢ ĐÁNH GIÁ THEO CHUẨN"], [], header, *lines])


def case(kind: str, world: Any) -> Case:
    u = world.users
    if kind == "staff":
        return Case(
            kind="staff",
            uploader=u["principal_a1"],
            unit_key="th_a1",
            clean=clean_staff_file(),
            clean_rows=3,
            messy=messy_staff_file(),
            messy_valid=len(MESSY_VALID_ROWS),
            messy_errors=len(MESSY_ERRORS),
            outsider=u["principal_b1"],
            no_right=u["ministry"],
            written=Person.objects.count,
            world=world,
        )
    if kind == "catalog":
        clerk = UserFactory(username="clerk_bo")  # works at the ministry, does not manage catalogs
        RoleAssignment.objects.get_or_create(user=clerk, unit=world.u("bo"), role=Role.OFFICE_STAFF)
        good = [1, "GVPT 16", "Mô đun mới", 20, 10, 10, "3, 4"]
        return Case(
            kind="catalog",
            uploader=u["sysadmin"],
            unit_key="bo",
            clean=_catalog_file([good]),
            clean_rows=1,
            messy=_catalog_file(
                [good, [2, "GVPT 17", "Tiêu đề", 20, 8, 10, ""], [3, "", "Không có mã", 20, 8, 12, ""]]
            ),
            messy_valid=1,
            messy_errors=2,
            outsider=u["so_a"],
            no_right=clerk,
            written=Module.objects.count,
            options={"catalog": Catalog.objects.get(code="GVPT-TT17-2019")},
            world=world,
        )
    if kind == "temis":
        return Case(
            kind="temis",
            uploader=u["principal_a1"],
            unit_key="th_a1",
            clean=_temis_file(world, ("teacher_a1", ["K"] * 15)),
            clean_rows=1,
            messy=_temis_file(
                world, ("teacher_a1", ["K"] * 15), ("colleague_a1", ["K"] * 14 + ["Giỏi"]), ("Người Lạ", ["K"] * 15)
            ),
            messy_valid=1,
            messy_errors=2,
            outsider=u["principal_b1"],
            no_right=u["ministry"],
            written=Assessment.objects.count,
            options={"levels_are": "principal"},
            world=world,
        )
    raise ValueError(kind)
