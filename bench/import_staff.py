"""Benchmark: import a 50,000-row staff list from .xlsx end to end, as the web does.

Run from the project root:  .venv/bin/python bench/import_staff.py [--rows 50000] [--keep]

It uses the dev settings with BDTX_VAR_DIR pointing at a fresh temporary directory (so a new
SQLite database; with DATABASE_URL=postgres://… it creates and drops a database of its own on
that server instead), migrates, builds a province
with 100 schools and a department user, writes the rows into an .xlsx with XlsxWriter (title
rows, Vietnamese names, a mix of Excel and text dates, IDs typed as numbers), then calls
`import_job_create` — the service the upload view calls — with the worker's task (the check and the
write) running in this process, and prints rows/second for each phase (read, check, write), the total and the peak
resident memory. A second pass imports the same people with new phone numbers: every row an update.
"""

import argparse
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import django_in_a_fresh_place, load_average, peak_rss_mb  # noqa: E402

FAMILY = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Huỳnh", 4),
    ("Phan", 4),
    ("Vũ", 4),
    ("Võ", 3),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 2),
    ("Hồ", 2),
    ("Ngô", 2),
    ("Dương", 1),
    ("Lý", 1),
    ("Lò", 1),
    ("Hà", 1),
    ("Đinh", 1),
]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Minh", "Ngọc", "Thị Thanh", "Thu", "Thị Hồng", "Kim", "Thị Ngọc", "Phương"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Xuân", "Văn Hoàng", "Công", "Trọng"]
GIVEN_F = ["Hoa", "Hương", "Lan", "Mai", "Hằng", "Trang", "Thảo", "Linh", "Nhung", "Yến", "Ánh", "Thủy", "Nga"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Minh", "Nam", "Phúc", "Quân", "Tuấn"]
ETHNIC = [("Kinh", 80), ("Tày", 5), ("Thái", 4), ("H'Mông", 3), ("Mường", 3), ("Khơ me", 2), ("Nùng", 2), ("Dao", 1)]
POSITIONS = [("Giáo viên", 90), ("Tổ trưởng chuyên môn", 6), ("Phó hiệu trưởng", 3), ("Hiệu trưởng", 1)]
PROVINCES = ["001", "004", "008", "010", "014", "019", "026", "031", "040", "079"]
HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Dân tộc",
    "Số định danh cá nhân (CCCD)",
    "Điện thoại",
    "Email",
    "Mã trường",
    "Chức vụ",
    "Cấp học",
    "Môn dạy",
    "Cốt cán",
    "Loại hợp đồng",
]


def _weighted(pairs: list[tuple[str, int]]) -> list[str]:
    return [name for name, weight in pairs for _ in range(weight)]


def write_file(path: Path, rows: int, school_codes: list[str], *, phone_seed: int = 0) -> None:
    import xlsxwriter

    from bdtx.people.validators import personal_id_for

    rnd = random.Random(2025)
    phones = random.Random(phone_seed)
    family, ethnic, positions = _weighted(FAMILY), _weighted(ETHNIC), _weighted(POSITIONS)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách")
    datefmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write(0, 0, "DANH SÁCH CÁN BỘ QUẢN LÝ, GIÁO VIÊN")
    ws.write(1, 0, "Năm học 2025-2026")
    ws.write_row(3, 0, HEADER)
    for i in range(rows):
        female = rnd.random() < 0.7
        birth = date(1965, 1, 1) + timedelta(days=rnd.randrange(365 * 37))
        middle, given = (MIDDLE_F, GIVEN_F) if female else (MIDDLE_M, GIVEN_M)
        name = f"{rnd.choice(family)} {rnd.choice(middle)} {rnd.choice(given)}"
        pid = personal_id_for(province=rnd.choice(PROVINCES), gender="F" if female else "M", birth=birth, serial=i)
        r = 4 + i
        ws.write_number(r, 0, i + 1)
        ws.write_string(r, 1, name)
        ws.write_string(r, 2, "Nữ" if female else "Nam")
        if i % 2:
            ws.write_datetime(r, 3, birth, datefmt)
        else:
            ws.write_string(r, 3, birth.strftime("%d/%m/%Y"))
        ws.write_string(r, 4, rnd.choice(ethnic))
        if i % 3:
            ws.write_string(r, 5, pid)
        else:
            ws.write_number(r, 5, int(pid))  # typed as a number: leading zeros lost
        ws.write_string(r, 6, f"09{phones.randrange(10**8):08d}")
        ws.write_string(r, 7, f"gv{i}@example.edu.vn")
        ws.write_string(r, 8, school_codes[i % len(school_codes)])
        ws.write_string(r, 9, rnd.choice(positions))
        ws.write_string(r, 10, "Tiểu học")
        ws.write_string(r, 11, "Toán, Tiếng Việt")
        if i % 20 == 0:
            ws.write_string(r, 12, "x")
        ws.write_string(r, 13, "Biên chế" if i % 7 else "Hợp đồng")
    ws.write(4 + rows, 0, "Tổng cộng")
    wb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    tmp, drop_database = django_in_a_fresh_place()
    from django.conf import settings
    from django.core.files import File
    from django.core.management import call_command
    from django.db import connection

    # The upload only sniffs the file (2 MB of it) and queues the check, as in production; the queued
    # task runs here at once instead of in a worker process, so this process does all the work.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    from bdtx.accounts.models import Role
    from bdtx.accounts.selectors import scope_for_user
    from bdtx.accounts.services import role_assign
    from bdtx.core.scope import SYSTEM
    from bdtx.core.selectors import school_year_current
    from bdtx.core.tests.factories import UserFactory
    from bdtx.imports.models import ImportJob
    from bdtx.imports.services import import_job_create
    from bdtx.organisations.models import UnitKind
    from bdtx.organisations.services import unit_create

    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} in {tmp}  (migrated in {time.perf_counter() - t:.1f} s)")
        start = date(2000, 1, 1)
        bo = unit_create(scope=SYSTEM, kind=UnitKind.MINISTRY, name="Bộ", code="B-BO", parent=None, valid_from=start)
        so = unit_create(scope=SYSTEM, kind=UnitKind.DEPARTMENT, name="Sở", code="B-SO", parent=bo, valid_from=start)
        codes = []
        for n in range(1, 101):
            code = f"B-TH{n:03d}"
            unit_create(
                scope=SYSTEM,
                kind=UnitKind.SCHOOL,
                name=f"Trường Tiểu học số {n}",
                code=code,
                parent=so,
                valid_from=start,
                levels=["TH"],
            )
            codes.append(code)
        user = UserFactory(username="bench")
        role_assign(scope=SYSTEM, user=user, unit=so, role=Role.DEPARTMENT_STAFF)

        first, second = tmp / "danh-sach.xlsx", tmp / "danh-sach-sdt-moi.xlsx"
        t = time.perf_counter()
        write_file(first, args.rows, codes)
        write_file(second, args.rows, codes, phone_seed=1)  # the same people with new phone numbers
        size = first.stat().st_size
        print(f"generated 2 files of {args.rows:,} rows, {size / 2**20:.1f} MB each ({time.perf_counter() - t:.0f} s)")
        print(f"peak RSS before importing: {peak_rss_mb():.0f} MB")

        for label, path in (("first import (all new)", first), ("second import (new phone numbers)", second)):
            with path.open("rb") as fh:
                cpu = time.process_time()
                t = time.perf_counter()
                job = import_job_create(
                    scope=scope_for_user(user),
                    kind="staff",
                    unit=so,
                    school_year=school_year_current(),
                    upload=File(fh, name=path.name),
                )
                total = time.perf_counter() - t
                cpu = time.process_time() - cpu
            job.refresh_from_db()
            if job.status != ImportJob.Status.DONE:
                raise SystemExit(f"import ended as {job.status}: {job.message} {job.problems[:5]}")
            n = job.valid_rows
            print(f"\n{label}: {n:,} rows, created {job.created_count:,}, updated {job.updated_count:,}")
            other = total - sum(job.timings.values())
            for phase in ("read", "check", "write"):
                s = job.timings[phase]
                print(f"  {phase:<6} {s:7.2f} s  {n / s:9,.0f} rows/s")
            print(f"  store   {other:7.2f} s  (upload kept, job and audit rows)")
            print(f"  total  {total:7.2f} s  {n / total:9,.0f} rows/s end to end")
            print(
                f"  (CPU time of this process {cpu:.2f} s, {n / cpu:,.0f} rows per CPU second; load {load_average()})"
            )
            print(f"  peak RSS so far: {peak_rss_mb():.0f} MB")
    finally:
        if drop_database:
            connection.close()
            drop_database()
        if args.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
