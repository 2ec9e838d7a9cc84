"""Benchmark: the yearly results report on a national-size dataset, next to one hand-written SQL aggregate.

Run from the project root (PostgreSQL only):
    bash scripts/with-postgres.sh .venv/bin/python bench/national.py --scale 1.0    # national size
    bash scripts/with-postgres.sh .venv/bin/python bench/national.py --scale 0.01   # a quick run
    DATABASE_URL=postgres://… .venv/bin/python bench/national.py --keep            # keep the database, then
    DATABASE_URL=postgres://… .venv/bin/python bench/national.py --database NAME   # time it again, no load

It uses the dev settings with a database of its own on that server (dropped at the end), migrates,
then writes the dataset with COPY (psycopg 3, not the ORM): the organisation tree (the ministry, 34
Sở, about 3,300 communes and 50,000 schools at scale 1.0, with their materialised paths and
placements), 1.5 million people with their employment of the current school year, an approved
personal plan each (items of programmes 01, 02 and about three BD03 modules), one cohort per
province and module (and per province for programmes 01 and 02), about 4.5 million module
enrolments and the year results; then ANALYZE. It prints the load time per table and the database
size, and checks the app reads the data (an ORM count and `results_summary`).

Then it times `hand_figures` — the yearly results report's figures as one hand-written SQL statement
(the definitions are in its docstring) — for the national root and for one province (median of 5
after a warm-up). When `bdtx.yearreports.selectors.live_figures` exists, it times the report the same
way, checks its numbers against the hand SQL's (exit 1 when they differ) and prints the ratio
report/hand (goal ≤ 1.2×) and the province time (goal < 200 ms). Without it the script says so and
stops after the hand SQL's timings.

tests/test_bench_national.py runs `load_national` at a tiny scale on the PostgreSQL test database,
checks `hand_figures` against the same definitions computed from the ORM, and the comparison against
a stand-in for the report (equal figures pass, a wrong one fails).
"""

import argparse
import dataclasses
import json
import random
import shutil
import statistics
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# --- the dataset's shape ---------------------------------------------------------------------------

NATIONAL = {"provinces": 34, "communes": 3_300, "schools": 50_000, "people": 1_500_000}
CODE_PREFIX = "NB"  # unit codes NB-…: never a seeded or test-world code
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
FAMILY_MINORITY = ["Nông", "Lò", "Bế", "Hà", "Lường", "Giàng", "Sùng", "Thào", "Quàng", "Vi"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Thùy", "Minh", "Kim", "Hồng"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Thanh", "Xuân"]
GIVEN_F = ["Hoa", "Hương", "Lan", "Mai", "Hằng", "Trang", "Thảo", "Linh", "Nga", "Yến", "Hà", "Huyền", "Loan", "Nhung"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phong", "Sơn", "Tuấn", "Việt"]
MINORITIES = ["02", "03", "06", "07", "08", "04", "05"]  # Tày, Thái, Mường, Nùng, Mông, Hoa, Khơ-me
PROVINCES = [
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
    "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
    "Đắk Lắk", "Thành phố Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
]  # fmt: skip
LEVELS = [("MN", 0.30, "Mầm non"), ("TH", 0.35, "Tiểu học"), ("THCS", 0.22, "THCS"), ("THPT", 0.13, "THPT")]
# (catalog, audience) of each kind of learner's BD03 modules
CATALOG_OF = {
    ("GV", True): "GVMN-TT12-2019",
    ("GV", False): "GVPT-TT17-2019",
    ("CBQL", True): "QLMN-TT11-2019",
    ("CBQL", False): "GDPT2018-QL-QD4660",
}
ACTIVE = ("enrolled", "waiting")
IN_SCOPE = ("working", "leave")
GROUPS = ("total", "women", "ethnic_minority", "ethnic_minority_women", "difficult_area")
OUTCOMES = ("population", "completed", "not_completed", "no_result")


def sizes(scale: float) -> dict[str, int]:
    provinces = min(NATIONAL["provinces"], max(2, round(NATIONAL["provinces"] * scale * 100)))
    communes = max(provinces, round(NATIONAL["communes"] * scale))
    schools = max(communes, round(NATIONAL["schools"] * scale))
    people = max(schools, round(NATIONAL["people"] * scale))
    return {"provinces": provinces, "communes": communes, "schools": schools, "people": people}


@dataclasses.dataclass
class Loaded:
    root_id: int
    province_ids: list[int]
    school_year: int
    steps: list[tuple[str, int, float]]  # (table, rows, seconds)


# --- the loader ------------------------------------------------------------------------------------


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _temporary_defaults(cursor: Any, model: Any, given: Sequence[str]) -> list[str]:
    """Give every NOT NULL column that COPY leaves out (and that has no database default) a database
    default from the model's field — `gen_random_uuid()` for the UUID, `now()` for timestamps —
    so that COPY can name only the columns that vary. Returns the columns to reset afterwards."""
    table = model._meta.db_table
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'",
        [table],
    )
    missing = {r[0] for r in cursor.fetchall()} - set(given)
    fields = {f.column: f for f in model._meta.concrete_fields}
    done = []
    for column in sorted(missing):
        f = fields[column]
        if column == "uuid":
            default = "gen_random_uuid()"
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = "now()"
        else:
            value = f.get_default()  # "" for a text field without a default
            if value is None:
                raise RuntimeError(f"{table}.{column} is NOT NULL without a default: give it in the COPY")
            if f.get_internal_type() == "JSONField":
                default = "'" + json.dumps(value).replace("'", "''") + "'::jsonb"
            elif isinstance(value, bool):
                default = "true" if value else "false"
            elif isinstance(value, int):
                default = str(value)
            else:
                default = "'" + str(value).replace("'", "''") + "'"
        cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT {default}")
        done.append(column)
    return done


def _drop_indexes(cursor: Any, table: str) -> list[str]:
    """Drop the table's foreign keys, unique constraints and secondary indexes (not its primary key)
    and return the statements that make them again: building an index once after COPY, and checking
    a foreign key in one join, is many times faster than keeping them up row by row."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) "
        "ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    # unique constraints first (their indexes), then the other indexes, then the foreign keys
    return (
        [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in constraints if d.startswith("UNIQUE")]
        + [d for _, d in indexes]
        + [f'ALTER TABLE {table} ADD CONSTRAINT "{n}" {d}' for n, d in constraints if not d.startswith("UNIQUE")]
    )


def _next_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {table}")
    return int(cursor.fetchone()[0])


def load_national(scale: float, *, seed: int = 11, echo: Callable[[str], None] = lambda s: None) -> Loaded:
    """Write the dataset at `scale` (1.0: national) into Django's default database with COPY, in the
    current transaction, then ANALYZE. Ids are chosen here (after the tables' largest) and the
    sequences moved past them, so the app can go on writing."""
    from django.db import connection

    from bdtx.catalog.models import Module
    from bdtx.core.bulk import planner_statistics_refresh
    from bdtx.core.selectors import school_year_current
    from bdtx.core.text import fold, nfc
    from bdtx.organisations.models import Unit, UnitPlacement
    from bdtx.people.models import Employment, Person
    from bdtx.plans.models import PersonalPlan, PlanItem
    from bdtx.regimes.models import Regime
    from bdtx.results.models import YearResult
    from bdtx.summaries.triggers import LOG_EVERYTHING, WATCHED
    from bdtx.training.models import Cohort, Enrolment

    assert connection.vendor == "postgresql", "the national benchmark needs PostgreSQL"
    n = sizes(scale)
    rng = random.Random(seed)
    year = school_year_current()
    y = year.start_year
    regime = Regime.objects.for_year(year)
    cat_of = {c["code"]: c for c in regime.result_categories}
    done_cat = next(c for c in regime.result_categories if c["completed"])
    fail_cat = next(c for c in regime.result_categories if not c["completed"])
    assert cat_of
    modules: dict[tuple[str, bool], list[tuple[int, str, int]]] = {}
    for key, catalog in CATALOG_OF.items():
        ms = list(
            Module.objects.filter(catalog__code=catalog, active=True)
            .order_by("code")
            .values_list("pk", "title", "hours_total")
        )
        modules[key] = [(pk, title, hours or 40) for pk, title, hours in ms]
        assert modules[key], f"no modules in catalog {catalog}"
    all_modules = sorted({m for ms in modules.values() for m in ms})
    now = datetime.now().astimezone()
    steps: list[tuple[str, int, float]] = []

    def timed(label: str, model: Any, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        table = model._meta.db_table
        t = time.perf_counter()
        reset = _temporary_defaults(cursor, model, columns)
        again = _drop_indexes(cursor, table)
        count = _copy(cursor, table, columns, rows)
        copied = time.perf_counter() - t
        for column in reset:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP DEFAULT")
        for statement in again:
            cursor.execute(statement)
        seconds = time.perf_counter() - t
        steps.append((label, count, seconds))
        echo(
            f"  {label:<30} {count:>10,} rows {seconds:7.1f} s {count / max(seconds, 1e-9):>9,.0f} rows/s"
            f"  (COPY {copied:.1f} s, {len(again)} indexes and keys {seconds - copied:.1f} s)"
        )

    with connection.cursor() as cursor:
        # Foreign keys checked row by row as COPY writes (not queued to the commit: millions of
        # pending checks), which also lets each table's temporary defaults go right after its COPY.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # the index builds after each COPY
        # The summaries' change-logging triggers (bdtx.summaries.triggers) off while COPY writes
        # millions of rows: every loaded unit is logged as changed once, at the end, instead.
        watched = [w.table for w in WATCHED]
        for table in watched:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        # --- the tree: ministry → provinces → communes → schools
        uid = _next_id(cursor, "organisations_unit")
        root = uid
        unit_rows: list[tuple[Any, ...]] = []  # id, kind, name, code, parent, path, depth, levels, ownership, difficult
        unit_rows.append(
            (
                root,
                "ministry",
                "Bộ Giáo dục và Đào tạo (bench)",
                f"{CODE_PREFIX}-BO",
                None,
                f"/{root}/",
                0,
                "",
                "public",
                False,
            )
        )
        provinces = []
        for p in range(n["provinces"]):
            pid = root + 1 + p
            name = f"Sở Giáo dục và Đào tạo {PROVINCES[p % len(PROVINCES)]}"
            unit_rows.append(
                (pid, "department", name, f"{CODE_PREFIX}-S{p:02d}", root, f"/{root}/{pid}/", 1, "", "public", False)
            )
            provinces.append(pid)
        communes = []
        base = root + 1 + n["provinces"]
        for c in range(n["communes"]):
            cid = base + c
            pid = provinces[c * len(provinces) // n["communes"]]  # a province's communes in a row
            difficult = rng.random() < 0.2  # about a fifth of the communes: their schools are in a difficult area
            unit_rows.append(
                (
                    cid,
                    "commune",
                    f"Ủy ban nhân dân xã {c + 1}",
                    f"{CODE_PREFIX}-X{c:05d}",
                    pid,
                    f"/{root}/{pid}/{cid}/",
                    2,
                    "",
                    "public",
                    difficult,
                )
            )
            communes.append((cid, pid, difficult))
        base += n["communes"]
        school_commune = array("i")
        school_level = []
        school_private = array("b")
        school_difficult = array("b")
        level_names = [lv for lv, _, _ in LEVELS]
        level_weights = [w for _, w, _ in LEVELS]
        for s in range(n["schools"]):
            sid = base + s
            c = s * len(communes) // n["schools"]
            cid, pid, difficult = communes[c]
            level = rng.choices(level_names, level_weights)[0]
            private = rng.random() < (0.25 if level == "MN" else 0.03)
            kind = "centre" if s % 500 == 499 else "school"
            label = next(lbl for lv, _, lbl in LEVELS if lv == level)
            name = f"Trung tâm GDNN-GDTX số {s + 1}" if kind == "centre" else f"Trường {label} số {s + 1}"
            unit_rows.append(
                (
                    sid,
                    kind,
                    name,
                    f"{CODE_PREFIX}-T{s:06d}",
                    cid,
                    f"/{root}/{pid}/{cid}/{sid}/",
                    3,
                    f",{level},",
                    "private" if private else "public",
                    difficult,
                )
            )
            school_commune.append(c)
            school_level.append(level)
            school_private.append(private)
            school_difficult.append(difficult)
        school_base = base

        def units() -> Iterator[tuple[Any, ...]]:
            for uid_, kind, name, code, parent, path, depth, levels, ownership, difficult in unit_rows:
                name = nfc(name)
                search = fold(f"{name} {''} {code}")[:400]  # as Unit.save, with no short name
                yield (uid_, kind, name, code, parent, path, depth, levels, ownership, difficult, search)

        timed(
            "organisations_unit",
            Unit,
            [
                "id",
                "kind",
                "name",
                "code",
                "parent_id",
                "path",
                "depth",
                "levels",
                "ownership",
                "difficult_area",
                "search_text",
            ],
            units(),
        )
        timed(
            "organisations_unitplacement",
            UnitPlacement,
            ["unit_id", "parent_id", "path", "valid_from"],
            ((r[0], r[4], r[5], date(2000, 1, 1)) for r in unit_rows),
        )

        # --- people: names, gender, ethnicity; each one's school and job
        people = n["people"]
        pid0 = _next_id(cursor, "people_person")
        # People come school by school, as staff lists are imported: a school's (and a province's)
        # people, jobs, plans, enrolments and results lie together in their tables.
        school_of = array("i", sorted(rng.randrange(n["schools"]) for _ in range(people)))
        woman = array("b", (rng.random() < 0.75 for _ in range(people)))
        derived: dict[tuple[str, str, str], tuple[str, str, str]] = {}

        def names(i: int) -> tuple[str, str, str, str | None]:
            r = rng.random()
            ethnicity = None if r < 0.04 else (rng.choice(MINORITIES) if r < 0.19 else "01")
            family = rng.choice(FAMILY_MINORITY if ethnicity not in (None, "01") and rng.random() < 0.7 else FAMILY)
            middle = rng.choice(MIDDLE_F if woman[i] else MIDDLE_M)
            given = rng.choice(GIVEN_F if woman[i] else GIVEN_M)
            return family, middle, given, ethnicity

        def persons() -> Iterator[tuple[Any, ...]]:
            for i in range(people):
                family, middle, given, ethnicity = names(i)
                key = (family, middle, given)
                if key not in derived:
                    p = Person(family_name=family, middle_name=middle, given_name=given)
                    p.refresh_derived()  # sort and search keys exactly as the app writes them
                    derived[key] = (p.sort_key, p.search_text, p.search_given)
                sort_key, search_text, search_given = derived[key]
                born = date(1965 + (i * 7919) % 38, 1 + i % 12, 1 + i % 28)
                yield (
                    pid0 + i,
                    family,
                    middle,
                    given,
                    "F" if woman[i] else "M",
                    born,
                    ethnicity,
                    "",
                    "",
                    sort_key,
                    search_text,
                    search_given,
                )

        timed(
            "people_person",
            Person,
            [
                "id",
                "family_name",
                "middle_name",
                "given_name",
                "gender",
                "date_of_birth",
                "ethnicity_id",
                "phone",
                "email",
                "sort_key",
                "search_text",
                "search_given",
            ],
            persons(),
        )

        manager = array("b", (rng.random() < 0.10 for _ in range(people)))
        statuses = ["working", "leave", "retired", "transferred"]
        status_of = [rng.choices(statuses, [0.97, 0.015, 0.008, 0.007])[0] for _ in range(people)]

        def employments() -> Iterator[tuple[Any, ...]]:
            for i in range(people):
                s = school_of[i]
                if i % 200 == 17:  # a few work at the commune's office, not at a school: outside the report
                    unit, level = communes[school_commune[s]][0], ""
                else:
                    unit, level = school_base + s, school_level[s]
                r = rng.random()
                difficult = True if r < 0.02 else (False if r < 0.03 else None)  # the post's own value, or as the unit
                staff = "CBQL" if manager[i] else "GV"
                position = "hieu_truong" if manager[i] else "giao_vien"
                yield (pid0 + i, y, unit, staff, position, level, status_of[i], difficult, i % 50 == 0)

        timed(
            "people_employment",
            Employment,
            [
                "person_id",
                "school_year_id",
                "unit_id",
                "staff_type",
                "position",
                "school_level",
                "status",
                "difficult_area",
                "is_mentor",
            ],
            employments(),
        )

        # --- approved plans: programmes 01 and 02, and about three BD03 modules each
        plan0 = _next_id(cursor, "plans_personalplan")
        timed(
            "plans_personalplan",
            PersonalPlan,
            ["id", "person_id", "unit_id", "school_year_id", "regime_id", "status", "submitted_at", "decided_at"],
            (
                (plan0 + i, pid0 + i, school_base + school_of[i], y, regime.pk, "approved", now, now)
                for i in range(people)
            ),
        )
        modules_of: list[list[tuple[int, str, int]]] = []
        for i in range(people):
            ms = modules[("CBQL" if manager[i] else "GV", school_level[school_of[i]] == "MN")]
            k = min(len(ms), rng.choices([2, 3, 4], [0.15, 0.7, 0.15])[0])
            modules_of.append(rng.sample(ms, k))

        def items() -> Iterator[tuple[Any, ...]]:
            for i in range(people):
                yield (plan0 + i, "BD01", None, "Chủ trương, chính sách của ngành (BD01)", 40)
                yield (plan0 + i, "BD02", None, "Nhiệm vụ phát triển giáo dục của tỉnh (BD02)", 40)
                for pk, title, hours in modules_of[i]:
                    yield (plan0 + i, "BD03", pk, title, hours)

        timed("plans_planitem", PlanItem, ["plan_id", "programme", "module_id", "title", "hours"], items())

        # --- cohorts: per province and module, and per province for programmes 01 and 02
        cohort0 = _next_id(cursor, "training_cohort")
        cohort_of: dict[tuple[int, Any], int] = {}
        cohort_rows = []
        for p, province in enumerate(provinces):
            for key, title in [("BD01", "Bồi dưỡng chương trình 1"), ("BD02", "Bồi dưỡng chương trình 2")] + [
                (pk, title) for pk, title, _ in all_modules
            ]:
                cid = cohort0 + len(cohort_rows)
                cohort_of[(province, key)] = cid
                programme, module = (key, None) if isinstance(key, str) else ("BD03", key)
                cohort_rows.append(
                    (
                        cid,
                        y,
                        province,
                        f"{title[:200]} — {PROVINCES[p % len(PROVINCES)]}",
                        programme,
                        module,
                        "" if module else title,
                        1_000_000,
                        "open",
                    )
                )
        timed(
            "training_cohort",
            Cohort,
            [
                "id",
                "school_year_id",
                "organiser_id",
                "name",
                "programme",
                "module_id",
                "content_title",
                "capacity",
                "status",
            ],
            cohort_rows,
        )

        def enrolments() -> Iterator[tuple[Any, ...]]:
            for i in range(people):
                s = school_of[i]
                province = communes[school_commune[s]][1]
                keys: list[Any] = [pk for pk, _, _ in modules_of[i]]
                if i % 10 == 3:
                    keys.append("BD01")
                if i % 10 == 6:
                    keys.append("BD02")
                for key in keys:
                    r = rng.random()
                    status = "enrolled" if r < 0.97 else ("waiting" if r < 0.98 else "withdrawn")
                    completed = status == "enrolled" and rng.random() < 0.72
                    module = None if isinstance(key, str) else key
                    yield (cohort_of[(province, key)], pid0 + i, school_base + s, y, module, status, completed)

        timed(
            "training_enrolment",
            Enrolment,
            ["cohort_id", "person_id", "unit_id", "school_year_id", "module_id", "status", "completed"],
            enrolments(),
        )

        def results() -> Iterator[tuple[Any, ...]]:
            for i in range(people):
                r = rng.random()
                if r < 0.05:
                    continue  # no result yet
                cat = done_cat if r < 0.05 + 0.85 else fail_cat
                yield (
                    pid0 + i,
                    y,
                    school_base + school_of[i],
                    plan0 + i,
                    regime.pk,
                    cat["code"],
                    cat["label"],
                    cat["completed"],
                    now,
                )

        timed(
            "results_yearresult",
            YearResult,
            [
                "person_id",
                "school_year_id",
                "unit_id",
                "plan_id",
                "regime_id",
                "category",
                "label",
                "completed",
                "computed_at",
            ],
            results(),
        )
        for model in (Unit, UnitPlacement, Person, Employment, PersonalPlan, PlanItem, Cohort, Enrolment, YearResult):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django's transactions have them
        t = time.perf_counter()
        for table in watched:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute(LOG_EVERYTHING)
        planner_statistics_refresh()  # the project's tables, never the cluster's shared catalogs
        steps.append(("ANALYZE", 0, time.perf_counter() - t))
        echo(f"  {'ANALYZE':<34} {'':>16} {steps[-1][2]:8.1f} s")
    return Loaded(root_id=root, province_ids=provinces, school_year=y, steps=steps)


# --- the hand-written aggregate ----------------------------------------------------------------------

_GROUP_FILTERS = {
    "total": "true",
    "women": "w",
    "ethnic_minority": "m",
    "ethnic_minority_women": "w AND m",
    "difficult_area": "d",
}
_OUTCOME_FILTERS = {
    "population": "true",
    "completed": "r IS TRUE",
    "not_completed": "r IS FALSE",
    "no_result": "r IS NULL",
}
_PER_PERSON = [(g, o) for o in OUTCOMES for g in GROUPS]
_PER_ENROLMENT = [(g, o) for o in ("enrolled", "completed") for g in GROUPS]
_PAD = ", ".join(["0"] * (len(_PER_PERSON) - len(_PER_ENROLMENT)))  # the UNION's rows are as wide as the first


def _counts(pairs: list[tuple[str, str]], outcome_filters: dict[str, str]) -> str:
    return ", ".join(f"count(*) FILTER (WHERE ({_GROUP_FILTERS[g]}) AND ({outcome_filters[o]}))" for g, o in pairs)


HAND_SQL = f"""
WITH pop AS MATERIALIZED (
    SELECT e.person_id, e.staff_type, e.school_level, u.ownership,
           p.gender = 'F' AS w,
           COALESCE(p.ethnicity_id <> %(kinh)s, false) AS m,
           COALESCE(e.difficult_area, u.difficult_area) AS d,
           r.completed AS r
    FROM people_employment e
    JOIN organisations_unit u ON u.id = e.unit_id
    JOIN people_person p ON p.id = e.person_id
    LEFT JOIN results_yearresult r ON r.person_id = e.person_id AND r.school_year_id = e.school_year_id
    WHERE e.school_year_id = %(year)s AND e.status IN ('working', 'leave')
      AND u.kind IN ('school', 'centre') AND u.path LIKE %(prefix)s
), enr AS MATERIALIZED (
    SELECT pop.person_id, pop.w, pop.m, pop.d, c.programme, en.module_id, en.completed
    FROM pop
    JOIN training_enrolment en ON en.person_id = pop.person_id
    JOIN training_cohort c ON c.id = en.cohort_id
    WHERE en.school_year_id = %(year)s AND en.status IN ('enrolled', 'waiting')
), prog AS (
    SELECT programme, w, m, d, bool_and(completed) AS done
    FROM enr GROUP BY person_id, programme, w, m, d
)
SELECT 'split', staff_type, school_level, ownership, GROUPING(staff_type, school_level, ownership),
       {_counts(_PER_PERSON, _OUTCOME_FILTERS)}
FROM pop GROUP BY GROUPING SETS ((), (staff_type, school_level, ownership))
UNION ALL
SELECT 'programme', programme, NULL, NULL, 0,
       {_counts(_PER_ENROLMENT, {"enrolled": "true", "completed": "done"})}, {_PAD}
FROM prog GROUP BY programme
UNION ALL
SELECT 'module', module_id::text, NULL, NULL, 0,
       {_counts(_PER_ENROLMENT, {"enrolled": "true", "completed": "completed"})}, {_PAD}
FROM enr WHERE module_id IS NOT NULL GROUP BY module_id
"""


def hand_figures(*, path: str, school_year: int) -> dict[tuple[Any, ...], int]:
    """The yearly results report's figures for the subtree at `path`, in one statement.

    Population: employments of the year, working or on leave, at a school or centre of the subtree
    (one per person and year). Each person's groups: women (gender F), ethnic minority (an ethnicity
    other than Kinh), ethnic-minority women, difficult area (the employment's own value, else its
    unit's). Outcome: the year result completed, not completed, or none. Per programme: people with an
    active enrolment in a cohort of that programme in the year, and those whose active enrolments of
    it are all completed; per module: people with an active enrolment of it, and those completed.

    Keys: ("population", outcome, group), ("split", staff_type, school_level, ownership, outcome,
    group), ("programme", programme, "enrolled" | "completed" | "not_completed", group),
    ("module", module_id, "enrolled" | "completed" | "not_completed", group). Zero figures of a
    programme, module or split nobody is in are left out.
    """
    from django.db import connection

    from bdtx.people.models import KINH_CODE

    out: dict[tuple[Any, ...], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, {"year": school_year, "prefix": path + "%", "kinh": KINH_CODE})
        for kind, a, b, c, grouping, *counts in cursor.fetchall():
            if kind == "split":
                pairs = _PER_PERSON
                key: tuple[Any, ...] = ("population",) if grouping else ("split", a, b, c)
            else:
                pairs = _PER_ENROLMENT
                key = (kind, a if kind == "programme" else int(a))
            values = dict(zip(pairs, counts, strict=False))
            for (g, o), v in values.items():
                out[(*key, o, g)] = v
            if kind != "split":
                for g in GROUPS:
                    out[(*key, "not_completed", g)] = values[(g, "enrolled")] - values[(g, "completed")]
    return out


# --- comparing with the report ----------------------------------------------------------------------


_REPORT_GROUPS = dict(zip(("total", "women", "minority", "minority_women", "difficult"), GROUPS, strict=True))


def report_keyed(live: Any) -> dict[tuple[Any, ...], int]:
    """The report's `ReportFigures` (bdtx.yearreports.figures) in the hand SQL's keys, so the two are
    compared figure by figure: cells "GV|TH|public" → ("split", …), their sum → ("population", …),
    programmes → ("programme", "BD01", …), modules by uuid → ("module", id, …). Zero figures are
    left out on both sides (the hand SQL gives no row for a programme, module or split nobody is in)."""
    from bdtx.catalog.models import Module

    out: dict[tuple[Any, ...], int] = {}

    def put(key: tuple[Any, ...], groups: Any) -> None:
        for name, value in zip(_REPORT_GROUPS.values(), groups.as_list(), strict=True):
            out[(*key, name)] = value

    def outcome(key: tuple[Any, ...], o: Any) -> None:
        put((*key, "population"), o.people)
        put((*key, "completed"), o.completed)
        put((*key, "not_completed"), o.not_completed)
        put((*key, "no_result"), o.no_result)

    for cell, o in live.cells.items():
        staff_type, level, ownership = cell.split("|")
        outcome(("split", staff_type, level, ownership), o)
    outcome(("population",), live.overall)
    for programme, p in live.programmes.items():
        key = ("programme", programme)
        put((*key, "enrolled"), p.enrolled)
        put((*key, "completed"), p.completed)
        put((*key, "not_completed"), p.not_completed)
    ids = {str(u): i for u, i in Module.objects.filter(uuid__in=list(live.modules)).values_list("uuid", "id")}
    for uuid, m in live.modules.items():
        key = ("module", ids[uuid])
        put((*key, "enrolled"), m.enrolled)
        put((*key, "completed"), m.completed)
        put((*key, "not_completed"), m.not_completed)
    return out


def keyed_differences(hand: dict[tuple[Any, ...], int], report: dict[tuple[Any, ...], int]) -> list[str]:
    """Every key where the two disagree (a zero and an absent key agree)."""
    return [
        f"{key}: hand {hand.get(key, 0)}, report {report.get(key, 0)}"
        for key in sorted(set(hand) | set(report), key=repr)
        if hand.get(key, 0) != report.get(key, 0)
    ]


def median_ms(fn: Callable[[], Any], runs: int = 5) -> tuple[float, Any]:
    result = fn()  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0: national (1.5 million people)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    parser.add_argument(
        "--database", metavar="NAME", help="time the figures on a database a run with --keep loaded (no load)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from common import django_in_a_fresh_place, load_average, peak_rss_mb

    if args.database:
        import os
        import tempfile
        from urllib.parse import urlsplit, urlunsplit

        url = urlsplit(os.environ.get("DATABASE_URL", ""))
        os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{args.database}"))
        os.environ["BDTX_VAR_DIR"] = tmp = tempfile.mkdtemp(prefix="bdtx-bench-")
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        import django

        django.setup()
        drop_database = None
    else:
        tmp, drop_database = django_in_a_fresh_place()
    from django.core.management import call_command
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        print("bench/national.py needs PostgreSQL: bash scripts/with-postgres.sh .venv/bin/python bench/national.py")
        return 2
    try:
        if args.database:
            loaded = _loaded_before()
            return _measure(loaded, load_average, peak_rss_mb)
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as c:
            c.execute("SHOW server_version")
            version = c.fetchone()[0]
        name = connection.settings_dict["NAME"]
        print(f"PostgreSQL {version}, database {name} (migrated in {time.perf_counter() - t:.1f} s)")
        n = sizes(args.scale)
        print(
            f"scale {args.scale}: {n['provinces']} provinces, {n['communes']:,} communes, {n['schools']:,} schools, "
            f"{n['people']:,} people; load {load_average()}"
        )
        t = time.perf_counter()
        with transaction.atomic():
            loaded = load_national(args.scale, echo=print)
        total = time.perf_counter() - t
        with connection.cursor() as c:
            c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            size = c.fetchone()[0]
        print(f"  loaded in {total:.1f} s (committed); database size {size}; peak RSS {peak_rss_mb():.0f} MB")

        return _measure(loaded, load_average, peak_rss_mb)
    finally:
        if drop_database and not args.keep:
            connection.close()
            drop_database()
        if args.keep:
            print(f"\nkept {tmp} and database {connection.settings_dict['NAME']}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _loaded_before() -> Loaded:
    from bdtx.core.selectors import school_year_current
    from bdtx.organisations.models import Unit

    root = Unit.objects.get(code=f"{CODE_PREFIX}-BO")
    provinces = list(Unit.objects.filter(parent=root).order_by("code").values_list("pk", flat=True))
    return Loaded(root_id=root.pk, province_ids=provinces, school_year=school_year_current().start_year, steps=[])


def _measure(loaded: Loaded, load_average: Callable[[], str], peak_rss_mb: Callable[[], float]) -> int:
    """The app reads the data; the hand SQL's timings; the summaries computed from scratch; the
    report's timings and its comparison with the hand SQL; the dashboards'; one school changed."""
    from django.db import connection

    status = 0
    # The app reads what was written.
    from bdtx.core.models import SchoolYear
    from bdtx.organisations.models import Unit
    from bdtx.people.models import Employment
    from bdtx.results.selectors import results_summary
    from bdtx.training.models import Enrolment

    year = SchoolYear.of(loaded.school_year)
    root = Unit.objects.get(pk=loaded.root_id)
    province = Unit.objects.get(pk=loaded.province_ids[0])
    summary = results_summary(unit=province, school_year=year)
    print(
        f"  the app reads it: {Employment.objects.filter(school_year=year).count():,} employments, "
        f"{Enrolment.objects.filter(school_year=year, module__isnull=False).count():,} module enrolments; "
        f"results_summary({province.name}): {summary.total:,} results, {summary.completed:,} completed"
    )

    print(f"\nhand-written SQL (median of 5 after a warm-up), load {load_average()}")
    hand = {}
    for label, unit in (("national", root), ("province", province)):
        ms, figures = median_ms(lambda u=unit: hand_figures(path=u.path, school_year=year.start_year))
        hand[label] = (ms, figures)
        pop = figures[("population", "population", "total")]
        print(f"  {label:<9} {unit.name:<45} {ms:9.1f} ms  {pop:>10,} people, {len(figures):,} figures")

    from bdtx.dashboards.selectors import dashboard_figures
    from bdtx.summaries.models import Change
    from bdtx.summaries.services import refresh_all
    from bdtx.yearreports.selectors import live_figures

    # The summaries (bdtx.summaries): every unit was logged as changed by the load. First one
    # province's page as if all its schools had changed (every school recomputed in the request),
    # then the rest of the nation as the background job would.
    print(f"\nthe per-unit summaries computed from scratch, load {load_average()}")
    from bdtx.summaries.triggers import LOG_EVERYTHING

    with connection.cursor() as cursor:  # every unit as changed (again, on a database summarised before)
        cursor.execute(LOG_EVERYTHING)
    units = Change.objects.values("unit_id").distinct().count()
    t = time.perf_counter()
    live_figures(unit=province, school_year=year)
    print(f"  province  every school changed: report recomputed and summed in {time.perf_counter() - t:9.1f} s")
    t = time.perf_counter()
    n = refresh_all(school_year_id=year.pk)
    seconds = time.perf_counter() - t
    print(f"  the rest  {n:,} units (of {units:,}) in {seconds:.1f} s: {n / max(seconds, 1e-9):,.0f} units/s")

    print(f"\nthe report: bdtx.yearreports.selectors.live_figures (summaries current), load {load_average()}")

    def report(unit: Any) -> Any:
        return live_figures(unit=unit, school_year=year)

    for label, unit in (("national", root), ("province", province)):
        ms, live = median_ms(lambda u=unit: report(u))
        hand_ms, figures = hand[label]
        differences = keyed_differences(figures, report_keyed(live))
        ratio = ms / hand_ms
        print(f"  {label:<9} {ms:9.1f} ms   report/hand {ratio:.2f}×  (goal ≤ 1.2×)")
        if differences:
            status = 1
            print(f"  MISMATCH: {len(differences)} figures differ between the hand SQL and the report:")
            for line in differences[:20]:
                print(f"    {line}")
        else:
            print(f"  the same {len(figures)} figures, key by key")
        if label == "province":
            print(f"  province: {ms:.1f} ms (goal < 200 ms): {'met' if ms < 200 else 'NOT met'}")
    print(f"\nthe dashboards: bdtx.dashboards.selectors.dashboard_figures (summaries current), load {load_average()}")
    for label, unit in (("national", root), ("province", province)):
        ms, _ = median_ms(lambda u=unit: dashboard_figures(unit=u, school_year=year))
        print(f"  {label:<9} {ms:9.1f} ms")

    # Biểu 3 of the province (computed live: a period and a choice of modules are not summarised):
    # the year's whole period, every BD03 module its subtree used, general schools.
    from bdtx.bieu3.figures import Selection, bieu3_figures
    from bdtx.bieu3.selectors import module_choices

    modules = list(module_choices(unit=province, school_year=year, preschool=False))
    selection = Selection(
        unit=province,
        school_year=year,
        period_from=year.starts_on,
        period_to=year.ends_on,
        module_ids=tuple(m.pk for m in modules),
        preschool=False,
    )
    ms, b3 = median_ms(lambda: bieu3_figures(selection=selection, modules=modules), runs=3)
    print(
        f"\nBiểu 3 of the province ({len(modules)} modules, general schools): {ms:.1f} ms;"
        f" 2.1 in scope {b3.total.in_scope.total:,}, 2.2 joined {b3.total.joined.total:,}"
    )

    # One school's data changes (its enrolments completed by a bulk update): the next read of the
    # province recomputes that school in the request and sums.
    school = Unit.objects.filter(kind="school", path__startswith=province.path).order_by("pk").first()
    assert school is not None
    times = []
    for _ in range(5):
        Enrolment.objects.filter(unit=school, school_year=year).update(completed=False)
        Enrolment.objects.filter(unit=school, school_year=year).update(completed=True)
        t = time.perf_counter()
        live_figures(unit=province, school_year=year)
        times.append((time.perf_counter() - t) * 1000)
    print(f"\none school changed, then the province's report: median {statistics.median(times):.1f} ms")
    print(f"  peak RSS {peak_rss_mb():.0f} MB")
    return status


if __name__ == "__main__":
    sys.exit(main())
