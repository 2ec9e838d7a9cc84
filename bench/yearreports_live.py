"""Benchmark: the live figures of the yearly results report (`yearreports.selectors.live_figures`)
of a province, a commune and a school.

Run from the project root:  .venv/bin/python bench/yearreports_live.py [--people 45000]
On PostgreSQL:              scripts/with-postgres.sh .venv/bin/python bench/yearreports_live.py

Builds, in a fresh database, a province of 20 communes and 400 schools (a tenth private, a fifth in
a difficult area) with `--people` staff of this school year (a fifth managers, 60 % women, a third
of an ethnic minority), each enrolled in a cohort of programme 01, of programme 02 and of one of ten
programme 03 modules (most completed), nine in ten with a year result; then times `live_figures`
(best of 5) and prints its query count and, on PostgreSQL, the plan of its main query.
"""

import argparse
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import django_in_a_fresh_place, load_average  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=45_000)
    parser.add_argument("--schools", type=int, default=400)
    args = parser.parse_args()

    tmp, drop_database = django_in_a_fresh_place()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bdtx.catalog.models import Module
    from bdtx.core.bulk import bulk_insert, bulk_insert_values, planner_statistics_refresh
    from bdtx.core.scope import SYSTEM
    from bdtx.core.selectors import school_year_current
    from bdtx.organisations.models import UnitKind
    from bdtx.organisations.services import unit_create
    from bdtx.people.models import Employment, Person
    from bdtx.regimes.models import Programme, Regime
    from bdtx.results.models import YearResult
    from bdtx.training.models import Cohort, Enrolment
    from bdtx.yearreports.selectors import live_figures

    try:
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} in {tmp}")
        start, year = date(2000, 1, 1), school_year_current()
        bo = unit_create(scope=SYSTEM, kind=UnitKind.MINISTRY, name="Bộ", code="B-BO", parent=None, valid_from=start)
        so = unit_create(scope=SYSTEM, kind=UnitKind.DEPARTMENT, name="Sở", code="B-SO", parent=bo, valid_from=start)
        communes = [
            unit_create(
                scope=SYSTEM, kind=UnitKind.COMMUNE, name=f"Xã {n}", code=f"B-X{n:03d}", parent=so, valid_from=start
            )
            for n in range(20)
        ]
        schools = [
            unit_create(
                scope=SYSTEM,
                kind=UnitKind.SCHOOL,
                name=f"Trường số {n}",
                code=f"B-T{n:04d}",
                parent=communes[n % 20],
                valid_from=start,
                levels=["TH"],
                ownership="private" if n % 10 == 0 else "public",
                difficult_area=n % 5 == 0,
            )
            for n in range(args.schools)
        ]
        modules = list(Module.objects.filter(catalog__code="GDPT2018-GV-QD4660").order_by("code")[:10])
        regime = Regime.objects.for_year(year)
        cohorts = {
            code: Cohort.objects.create(
                school_year=year,
                organiser=so,
                name=code,
                programme=code,
                content_title="Nội dung",
                form="tu_xa",
                capacity=10**6,
            )
            for code in (Programme.BD01, Programme.BD02)
        }
        module_cohorts = [
            Cohort.objects.create(
                school_year=year,
                organiser=so,
                name=m.code,
                programme=Programme.BD03,
                module=m,
                form="tu_xa",
                capacity=10**6,
            )
            for m in modules
        ]
        n = args.people
        t = time.perf_counter()
        with transaction.atomic():
            people = []
            for i in range(n):
                p = Person(
                    family_name="Nông",
                    given_name=f"Hoa {i}",
                    gender="F" if i % 5 < 3 else "M",
                    ethnicity_id=("02", "07", "01")[i % 3] if i % 7 else None,
                )
                p.refresh_derived()
                people.append(p)
            bulk_insert(people, fetch_pk_by="uuid")
            school_of = [schools[i % len(schools)].pk for i in range(n)]
            bulk_insert_values(
                Employment,
                [
                    {
                        "person_id": p.pk,
                        "school_year_id": year.pk,
                        "unit_id": school_of[i],
                        "school_level": ("TH", "THCS")[i % 2],
                        "staff_type": "CBQL" if i % 5 == 0 else "GV",
                        "status": "left" if i % 50 == 0 else "working",
                        "difficult_area": True if i % 11 == 0 else None,
                    }
                    for i, p in enumerate(people)
                ],
            )
            rows = []
            for i, p in enumerate(people):
                for c, done in ((cohorts[Programme.BD01], i % 9 != 0), (cohorts[Programme.BD02], i % 13 != 0)):
                    rows.append(
                        {
                            "cohort_id": c.pk,
                            "person_id": p.pk,
                            "unit_id": school_of[i],
                            "school_year_id": year.pk,
                            "module_id": None,  # every row names the same columns
                            "status": "enrolled",
                            "completed": done,
                        }
                    )
                mc = module_cohorts[i % len(module_cohorts)]
                rows.append(
                    {
                        "cohort_id": mc.pk,
                        "person_id": p.pk,
                        "unit_id": school_of[i],
                        "school_year_id": year.pk,
                        "module_id": mc.module_id,
                        "status": "enrolled",
                        "completed": i % 17 != 0,
                    }
                )
            bulk_insert_values(Enrolment, rows)
            bulk_insert_values(
                YearResult,
                [
                    {
                        "person_id": p.pk,
                        "school_year_id": year.pk,
                        "unit_id": school_of[i],
                        "regime_id": regime.pk,
                        "category": "ht",
                        "label": "Hoàn thành",
                        "completed": i % 19 != 0,
                    }
                    for i, p in enumerate(people)
                    if i % 10
                ],
            )
        print(
            f"{n:,} people, {len(rows):,} enrolments written in {time.perf_counter() - t:.1f} s; load {load_average()}"
        )
        planner_statistics_refresh()
        for label, unit in (("province", so), ("commune", communes[0]), ("school", schools[1])):
            best = float("inf")
            for _ in range(5):
                with CaptureQueriesContext(connection) as q:
                    t = time.perf_counter()
                    f = live_figures(unit=unit, school_year=year)
                    best = min(best, time.perf_counter() - t)
            print(
                f"  live_figures({label:<8}) {best * 1000:8.1f} ms  {len(q)} queries  people {f.overall.people.total:,}"
            )
        if connection.vendor == "postgresql":
            with CaptureQueriesContext(connection) as q:
                live_figures(unit=so, school_year=year)
            for sql in q.captured_queries[1:]:
                with connection.cursor() as cur:
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS OFF, COSTS OFF, TIMING OFF, SUMMARY ON) " + sql["sql"])
                    print("\n".join(r[0] for r in cur.fetchall()))
                    print("-" * 60)
    finally:
        connection.close()
        if drop_database:
            drop_database()


if __name__ == "__main__":
    main()
