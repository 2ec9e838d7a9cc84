"""Benchmark: the daily deadline reminders over many teachers, and a rerun that writes nothing.

Run from the project root:  .venv/bin/python bench/notifications.py [--teachers 50000] [--schools 500]
(DATABASE_URL=postgres://… for PostgreSQL: a database of its own, dropped at the end).

It builds a province of N teachers with accounts (one in ten with an e-mail preference switched
off, a third with a plan already submitted), then runs the plans' deadline reminders 7 days before
the regulation's 31/05 for the next school year's plans: who has no plan submitted is told, in
batches, through `notify`. It prints the time and rows of the first run and of a rerun (the same
day: nothing new), the query count of each, and the peak memory. E-mails are not sent (the worker's
part, measured by the number of rows waiting for it).
"""

import argparse
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import django_in_a_fresh_place, load_average, peak_rss_mb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--teachers", type=int, default=50_000)
    parser.add_argument("--schools", type=int, default=500)
    parser.add_argument("--queries", action="store_true", help="print each query of the runs with its time")
    args = parser.parse_args()
    tmp, drop_database = django_in_a_fresh_place()

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bdtx.core.bulk import bulk_insert, bulk_insert_values
    from bdtx.core.models import SchoolYear
    from bdtx.core.scope import SYSTEM
    from bdtx.notifications.models import Notification, NotificationPreference
    from bdtx.organisations.models import Unit, UnitKind
    from bdtx.organisations.services import unit_create
    from bdtx.people.models import Employment, Person
    from bdtx.plans.models import PersonalPlan, PlanStatus
    from bdtx.plans.notifications import deadline_reminders
    from bdtx.regimes.models import Regime

    try:
        call_command("migrate", verbosity=0)
        start = date(2000, 1, 1)
        today = date(2027, 5, 24)  # 7 days before 31/05/2027, the date of 2027-2028's plans
        year, plan_year = SchoolYear.of(2026), SchoolYear.of(2027)
        bo = unit_create(scope=SYSTEM, kind=UnitKind.MINISTRY, name="Bộ", code="B-BO", parent=None, valid_from=start)
        so = unit_create(scope=SYSTEM, kind=UnitKind.DEPARTMENT, name="Sở", code="B-SO", parent=bo, valid_from=start)
        schools: list[Unit] = [
            unit_create(
                scope=SYSTEM,
                kind=UnitKind.SCHOOL,
                name=f"Trường số {n}",
                code=f"B-TH{n:04d}",
                parent=so,
                valid_from=start,
                levels=["TH"],
            )
            for n in range(args.schools)
        ]
        n = args.teachers
        t = time.perf_counter()
        with transaction.atomic():
            users = [User(username=f"gv{i}", email=f"gv{i}@example.edu.vn", password="!") for i in range(n)]
            User.objects.bulk_create(users, batch_size=5000)
            user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
            people = []
            for i in range(n):
                p = Person(family_name="Nguyễn", middle_name="Thị", given_name=f"Hoa {i}", gender="F")
                p.user_id = user_ids[i]
                p.refresh_derived()
                people.append(p)
            bulk_insert(people, fetch_pk_by="uuid")
            school_of = [schools[i % len(schools)].pk for i in range(n)]
            bulk_insert_values(
                Employment,
                [
                    {"person_id": p.pk, "school_year_id": year.pk, "unit_id": school_of[i], "school_level": "TH"}
                    for i, p in enumerate(people)
                ],
            )
            regime = Regime.objects.for_year(plan_year)
            now = timezone.now()
            bulk_insert_values(
                PersonalPlan,
                [
                    {
                        "person_id": p.pk,
                        "unit_id": school_of[i],
                        "school_year_id": plan_year.pk,
                        "regime_id": regime.pk,
                        "status": PlanStatus.SUBMITTED,
                        "submitted_at": now,
                    }
                    for i, p in enumerate(people)
                    if i % 3 == 0
                ],
            )
            NotificationPreference.objects.bulk_create(
                [
                    NotificationPreference(user_id=u, kind="deadline.personal_plan", in_app=True, email=False)
                    for u in user_ids[::10]
                ]
            )
        print(f"{connection.vendor}: {n:,} teachers in {len(schools)} schools ({time.perf_counter() - t:.1f} s)")
        print(f"load {load_average()}")
        for label in ("first run", "rerun, same day"):
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as ctx, transaction.atomic():
                told = deadline_reminders(today=today)
            seconds = time.perf_counter() - t
            rows = Notification.objects.count()
            pending = Notification.objects.filter(email_pending=True).count()
            print(
                f"{label}: {told:,} users given to notify, {rows:,} notifications in all "
                f"({pending:,} e-mails waiting), {len(ctx.captured_queries)} queries, {seconds:.2f} s"
                f" ({told / seconds:,.0f} users/s)"
            )
            if "--queries" in sys.argv:
                for q in ctx.captured_queries:
                    print(f"  {q['time']}  {q['sql'][:300]}")
        print(f"peak memory {peak_rss_mb():.0f} MB")
    finally:
        connection.close()
        if drop_database:
            drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
