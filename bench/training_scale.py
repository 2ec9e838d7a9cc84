"""Benchmark: enrol 100,000 learners from approved plans into a cohort and split them into groups.

Run from the project root:  .venv/bin/python bench/training_scale.py [--learners 100000] [--keep]
On PostgreSQL:              scripts/with-postgres.sh .venv/bin/python bench/training_scale.py

It uses the dev settings with BDTX_VAR_DIR pointing at a fresh temporary directory (a new SQLite
database; with DATABASE_URL=postgres://… a database of its own on that server, dropped at the end),
migrates, builds a province of 20 communes and 1,000 schools, and writes the learners in bulk: a
person, an employment (2 % core teachers) and an approved personal plan holding module 4 of the GDPT
2018 teachers' catalog each. Then it calls the services the pages call — `enrolment_preview`,
`enrolment_bulk_from_plans` (capacity 95 % of the learners: the rest go on the waiting list) and
`groups_split` — and prints rows/second for each step, and the peak resident memory.
"""

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import django_in_a_fresh_place, load_average, peak_rss_mb  # noqa: E402

GIVEN = ["Hoa", "Hương", "Lan", "Mai", "Hằng", "Trang", "Thảo", "An", "Bình", "Cường", "Dũng", "Hải", "Hùng"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Lò", "Bế", "Vũ", "Đặng"]
MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--certificates", type=int, default=2000, help="results recognised and certified")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--profile", action="store_true", help="profile the group split (top 15 by cumulative time)")
    parser.add_argument(
        "--without-summaries",
        action="store_true",
        help="drop the summaries' change-logging triggers first (to measure what they cost the writes)",
    )
    args = parser.parse_args()

    tmp, drop_database = django_in_a_fresh_place()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bdtx.catalog.models import Module
    from bdtx.core.bulk import bulk_insert, bulk_insert_values
    from bdtx.core.scope import SYSTEM
    from bdtx.core.selectors import school_year_current
    from bdtx.organisations.models import Unit, UnitKind
    from bdtx.organisations.services import unit_create
    from bdtx.people.models import Employment, Person
    from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
    from bdtx.regimes.models import Programme, Regime
    from bdtx.training.models import EnrolmentStatus, ScheduleTemplate
    from bdtx.training.services import cohort_create, enrolment_bulk_from_plans, enrolment_preview, groups_split

    def step(label: str, rows: int, seconds: float) -> None:
        print(f"  {label:<58} {rows:>9,} rows {seconds:8.2f} s {rows / seconds:>10,.0f} rows/s")

    try:
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor} in {tmp}  (migrated in {time.perf_counter() - t:.1f} s)")
        if args.without_summaries:
            from bdtx.summaries.triggers import uninstall_sql

            with connection.cursor() as cursor:
                for sql in uninstall_sql(connection.vendor):
                    cursor.execute(sql)
            print("the summaries' triggers dropped: writes log no changes")
        start = date(2000, 1, 1)
        year = school_year_current()
        bo = unit_create(scope=SYSTEM, kind=UnitKind.MINISTRY, name="Bộ", code="B-BO", parent=None, valid_from=start)
        so = unit_create(scope=SYSTEM, kind=UnitKind.DEPARTMENT, name="Sở", code="B-SO", parent=bo, valid_from=start)
        t = time.perf_counter()
        schools: list[Unit] = []
        communes = [
            unit_create(
                scope=SYSTEM, kind=UnitKind.COMMUNE, name=f"Xã {n}", code=f"B-X{n:03d}", parent=so, valid_from=start
            )
            for n in range(20)
        ]
        for n in range(args.schools):
            schools.append(
                unit_create(
                    scope=SYSTEM,
                    kind=UnitKind.SCHOOL,
                    name=f"Trường Tiểu học số {n}",
                    code=f"B-TH{n:04d}",
                    parent=communes[n % len(communes)],
                    valid_from=start,
                    levels=["TH"],
                )
            )
        print(f"tree: {len(schools):,} schools under {len(communes)} communes ({time.perf_counter() - t:.1f} s)")
        module = Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")
        regime = Regime.objects.for_year(year)
        n = args.learners
        print(f"\n{n:,} learners, school year {year.label}, load {load_average()}")

        with transaction.atomic():
            t = time.perf_counter()
            people = []
            for i in range(n):
                p = Person(
                    family_name=FAMILY[i % len(FAMILY)],
                    middle_name=MIDDLE[(i // 7) % len(MIDDLE)],
                    given_name=f"{GIVEN[(i // 3) % len(GIVEN)]} {i}",
                    gender="F" if i % 3 else "M",
                )
                p.refresh_derived()
                people.append(p)
            bulk_insert(people, fetch_pk_by="uuid")
            now = timezone.now()
            school_of = [schools[i % len(schools)].pk for i in range(n)]
            bulk_insert_values(
                Employment,
                [
                    {
                        "person_id": p.pk,
                        "school_year_id": year.pk,
                        "unit_id": school_of[i],
                        "school_level": "TH",
                        "is_mentor": i % 50 == 0,  # 2 % core teachers
                    }
                    for i, p in enumerate(people)
                ],
            )
            bulk_insert_values(
                PersonalPlan,
                [
                    {
                        "person_id": p.pk,
                        "unit_id": school_of[i],
                        "school_year_id": year.pk,
                        "regime_id": regime.pk,
                        "status": PlanStatus.APPROVED,
                        "submitted_at": now,
                        "decided_at": now,
                    }
                    for i, p in enumerate(people)
                ],
            )
            plan_ids = PersonalPlan.objects.filter(school_year=year).values_list("pk", flat=True).iterator(5000)
            bulk_insert_values(
                PlanItem,
                [
                    {
                        "plan_id": pk,
                        "programme": Programme.BD03,
                        "module_id": module.pk,
                        "title": module.title,
                        "hours": 40,
                        "form": "ban_tap_trung",
                    }
                    for pk in plan_ids
                ],
            )
            step("learners written (4 rows each: person, job, plan, item)", n, time.perf_counter() - t)

        cohort = cohort_create(
            scope=SYSTEM,
            organiser=so,
            school_year=year,
            name="Mô đun 4 — toàn tỉnh",
            programme=Programme.BD03,
            module=module,
            form="ban_tap_trung",
            capacity=n * 95 // 100,
            template=ScheduleTemplate.objects.get(code="7-2-7"),
            starts_on=date(year.start_year, 12, 1),
        )
        t = time.perf_counter()
        preview = enrolment_preview(scope=SYSTEM, cohort=cohort)
        step("enrolment preview (counted, nothing written)", preview.eligible, time.perf_counter() - t)
        t = time.perf_counter()
        result = enrolment_bulk_from_plans(scope=SYSTEM, cohort=cohort)
        step("enrolment from approved plans", result.enrolled + result.waiting, time.perf_counter() - t)
        print(f"    enrolled {result.enrolled:,}, waiting {result.waiting:,}")
        t = time.perf_counter()
        again = enrolment_bulk_from_plans(scope=SYSTEM, cohort=cohort)
        step("enrolling again (nobody twice)", preview.eligible, time.perf_counter() - t)
        assert again.enrolled == again.waiting == 0
        t = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                split = groups_split(scope=SYSTEM, cohort=cohort)
        else:
            split = groups_split(scope=SYSTEM, cohort=cohort)
        step("groups split (with core teachers)", split.learners, time.perf_counter() - t)
        if args.profile:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(15)
        print(f"    {split.groups:,} groups, {split.without_mentor:,} without a core teacher")
        grouped = cohort.enrolments.filter(status=EnrolmentStatus.ENROLLED, group__isnull=False).count()
        assert grouped == result.enrolled, (grouped, result.enrolled)
        lms_exchange(cohort, step)
        completion_step(cohort, step)
        results_step(year, step)
        certificates_step(year, step, args.certificates)
        print(f"  peak RSS: {peak_rss_mb():.0f} MB")
    finally:
        if drop_database:
            connection.close()
            drop_database()
        if args.keep:
            print(f"\nkept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def lms_exchange(cohort, step) -> None:  # type: ignore[no-untyped-def]
    """Issue 9: the account list, an LMS results file of one row per learner checked and written by the
    importer the shared pipeline calls, and xAPI statements in batches of 500."""
    import io
    import uuid as uuidlib

    from django.db import transaction

    from bdtx.core.exporters import new_workbook
    from bdtx.core.importing.base import JobInfo
    from bdtx.core.importing.parsing import read_table
    from bdtx.core.scope import SYSTEM
    from bdtx.training import lms
    from bdtx.training.importers import KEY, LmsResultsImporter
    from bdtx.training.models import Enrolment, LmsResult

    t = time.perf_counter()
    size = len(lms.accounts_xlsx(cohort=cohort))
    learners = cohort.enrolments.filter(status="enrolled").count()
    step("LMS account list (.xlsx)", learners, time.perf_counter() - t)
    print(f"    {size / 2**20:.1f} MB")
    uuids = list(Enrolment.objects.filter(cohort=cohort).values_list("person__uuid", flat=True))
    path = Path(tempfile.mkdtemp()) / "lms.xlsx"
    wb = new_workbook(path, constant_memory=True, tmpdir=str(path.parent))
    ws = wb.add_worksheet()
    for c, h in enumerate(["STT", "Tên đăng nhập", "Tiến độ (%)", "Kết quả", "Điểm"]):
        ws.write_string(0, c, h)
    for r, u in enumerate(uuids, start=1):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, u.hex)
        ws.write_number(r, 2, 100 if r % 5 else 60)
        ws.write_string(r, 3, "Đạt" if r % 5 else "Không đạt")
        ws.write_number(r, 4, 5 + r % 50 / 10)
    wb.close()
    content = path.read_bytes()
    shutil.rmtree(path.parent, ignore_errors=True)
    importer = LmsResultsImporter()
    info = JobInfo(
        id=0,
        uuid=uuidlib.uuid4(),
        kind=KEY,
        unit=cohort.organiser,
        school_year_id=cohort.school_year_id,
        created_by_id=None,
        original_filename="lms.xlsx",
        options={"cohort": str(cohort.uuid), "cohort_name": cohort.name},
    )
    t = time.perf_counter()
    table = read_table(io.BytesIO(content), importer.fields, required_any=importer.required_any)
    ctx = importer.prepare(info, SYSTEM, table.layout)
    checked = [importer.check_row(raw, ctx) for raw in table.rows]
    importer.check_file(checked, ctx)
    records = [c.record for c in checked if c.valid and c.record is not None]
    step("LMS results file checked (read, matched, validated)", len(checked), time.perf_counter() - t)
    assert len(records) == len(uuids), (len(records), len(uuids))
    t = time.perf_counter()
    with transaction.atomic():
        written = importer.write(info, records, scope=SYSTEM)
    step("LMS results written (merged with the latest state)", written.created, time.perf_counter() - t)
    lms_a, _token = lms.lms_create(scope=SYSTEM, unit=cohort.organiser, name="LMS bench")
    n = min(20000, len(uuids))
    t = time.perf_counter()
    for i in range(0, n, lms.MAX_STATEMENTS):
        batch = [
            {
                "id": str(uuidlib.uuid4()),
                "actor": {"account": {"name": u.hex}},
                "verb": {"id": "http://adlnet.gov/expapi/verbs/scored"},
                "object": {"id": lms.activity_id(cohort)},
                "result": {"score": {"scaled": 0.8}},
            }
            for u in uuids[i : i + lms.MAX_STATEMENTS]
        ]
        lms.xapi_statements_accept(lms=lms_a, statements=batch)
    step("xAPI statements accepted (batches of 500)", n, time.perf_counter() - t)
    assert LmsResult.objects.count() == len(uuids) + n


def completion_step(cohort, step) -> None:  # type: ignore[no-untyped-def]
    """Issue 9: the core teachers' and the institution's marks written in bulk (as an import would),
    then the three-way completion recomputed for the whole cohort in one set-based UPDATE, the cohort's
    summary (one aggregate) and the lists sent to the managing offices."""
    from django.utils import timezone

    from bdtx.core.bulk import bulk_insert_values
    from bdtx.core.scope import SYSTEM
    from bdtx.training import completion
    from bdtx.training.models import CompletionSignal, Enrolment, EnrolmentStatus

    ids = list(Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).values_list("pk", flat=True))
    now = timezone.now()
    t = time.perf_counter()
    for party in ("mentor", "institution"):
        rows = [
            {"enrolment_id": pk, "party": party, "passed": pk % 10 != 0, "source": "manual", "recorded_at": now}
            for pk in ids
        ]
        for i in range(0, len(rows), 5000):
            bulk_insert_values(CompletionSignal, rows[i : i + 5000])
    step("core teachers' and institution's marks written", 2 * len(ids), time.perf_counter() - t)
    t = time.perf_counter()
    total = Enrolment.objects.filter(cohort=cohort).count()  # the waiting list too: never completed
    changed = completion.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    step("three-way completion recomputed (set-based UPDATEs)", total, time.perf_counter() - t)
    print(f"    {changed:,} learners changed")
    t = time.perf_counter()
    again = completion.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    step("recomputed again (nothing changed, nothing written)", total, time.perf_counter() - t)
    assert again == 0, again
    t = time.perf_counter()
    summary = completion.completion_summary(cohort=cohort)
    step("completion summary of the cohort (one aggregate)", summary.enrolled, time.perf_counter() - t)
    print(f"    completed {summary.completed:,} of {summary.enrolled:,} (LMS {summary.lms:,})")
    t = time.perf_counter()
    lists = completion.completion_lists_send(scope=SYSTEM, cohort=cohort)
    step("completion lists sent to the managing offices", sum(x.learners for x in lists), time.perf_counter() - t)
    print(f"    {len(lists)} lists")


def results_step(year, step) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: every learner's year result computed from the data (plan items covered by completed
    modules, every score against the pass mark, the regime's rule), for the whole province at once."""
    from bdtx.core.scope import SYSTEM
    from bdtx.organisations.models import Unit
    from bdtx.results.compute import results_compute

    province = Unit.objects.get(code="B-SO")  # the Sở main() builds
    t = time.perf_counter()
    summary = results_compute(scope=SYSTEM, unit=province, school_year=year)
    step("year results computed (set-based reads, batched writes)", summary.people, time.perf_counter() - t)
    print(f"    {summary.completed:,} completed")
    t = time.perf_counter()
    again = results_compute(scope=SYSTEM, unit=province, school_year=year)
    step("year results computed again (replaced)", again.people, time.perf_counter() - t)


def certificates_step(year, step, n: int) -> None:  # type: ignore[no-untyped-def]
    """Issue 10: the Sở recognises `n` completed results and issues their certificates (each numbered
    in its own short transaction with the series row locked, signed, audited), then draws them all in
    one PDF, as the bulk job does."""
    from bdtx.certificates.models import Certificate
    from bdtx.certificates.services import certificates_issue, certificates_pdf
    from bdtx.core.scope import SYSTEM
    from bdtx.organisations.models import Unit
    from bdtx.results.models import ResultStatus, YearResult

    if not n:
        return
    province = Unit.objects.get(code="B-SO")
    ids = list(YearResult.objects.filter(school_year=year, completed=True).values_list("pk", flat=True)[:n])
    YearResult.objects.filter(pk__in=ids).update(status=ResultStatus.RECOGNISED, recognised_unit=province)
    t = time.perf_counter()
    issued = certificates_issue(scope=SYSTEM, unit=province, school_year=year)
    step("certificates issued (numbered, signed, audited)", issued, time.perf_counter() - t)
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, issued + 1)), "numbers have a gap or a duplicate"
    t = time.perf_counter()
    pdf = certificates_pdf(Certificate.objects.select_related("issuer__unit", "school_year").order_by("sequence"))
    step("certificates drawn in one PDF", issued, time.perf_counter() - t)
    print(f"    {len(pdf) / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
