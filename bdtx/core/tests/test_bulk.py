from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bdtx.core.bulk import bulk_insert, bulk_insert_values, bulk_update_fields, planner_statistics_refresh
from bdtx.core.models import AuditLog
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment, Person


def _person(n: int) -> Person:
    p = Person(family_name="Lê", given_name=f"An{n}", gender="M", date_of_birth=date(1980, 1, n + 1))
    p.refresh_derived()
    return p


def test_bulk_insert_writes_every_field_stamps_timestamps_and_reads_back_primary_keys(db):
    people = [_person(n) for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        bulk_insert(people, fetch_pk_by="uuid")
    assert len(queries) <= 2  # one executemany (PostgreSQL's runs on a psycopg cursor, unlogged), one read-back
    assert all(p.pk and not p._state.adding and p.created_at for p in people)
    stored = Person.objects.get(pk=people[1].pk)
    assert (stored.uuid, stored.given_name, stored.date_of_birth) == (people[1].uuid, "An1", date(1980, 1, 2))


def test_bulk_insert_takes_foreign_keys_from_objects_saved_after_they_were_attached(world):
    person = _person(0)
    job = Employment(person=person, school_year=school_year_current(), unit=world.u("th_a1"))
    bulk_insert([person], fetch_pk_by="uuid")
    bulk_insert([job])
    assert Employment.objects.get(person=person).unit == world.u("th_a1")


def test_bulk_update_fields_changes_only_the_named_fields(db_without_world):
    people = [_person(n) for n in range(2)]
    bulk_insert(people, fetch_pk_by="uuid")
    for p in people:
        p.phone, p.email = "0912345678", "changed@example.vn"
    bulk_update_fields(people, ["phone"])
    assert set(Person.objects.values_list("phone", "email")) == {("0912345678", "")}


def test_bulk_insert_values_fills_defaults_per_row_and_stamps_timestamps(world):
    person = _person(0)
    bulk_insert([person], fetch_pk_by="uuid")
    rows = [{"person_id": person.pk, "school_year_id": school_year_current().pk, "unit_id": world.u("th_a1").pk}]
    bulk_insert_values(Employment, rows)
    bulk_insert_values(AuditLog, [{"action": "a", "object_type": "t", "changes": {"x": [1, 2]}}] * 2)
    job = Employment.objects.get(person=person)
    assert job.uuid and job.created_at and job.status == "working" and job.contract_type == "bien_che"
    entries = AuditLog.objects.filter(action="a")
    assert [e.changes for e in entries] == [{"x": [1, 2]}] * 2 and all(e.at for e in entries)


def test_bulk_update_fields_writes_nulls_dates_and_foreign_keys(db_without_world):
    people = [_person(n) for n in range(2)]
    bulk_insert(people, fetch_pk_by="uuid")
    people[0].date_of_birth, people[0].ethnicity_id = None, "02"
    people[1].date_of_birth, people[1].ethnicity_id = date(1990, 5, 6), None
    bulk_update_fields(people, ["date_of_birth", "ethnicity_id"])
    stored = {p.given_name: (p.date_of_birth, p.ethnicity_id) for p in Person.objects.all()}
    assert stored == {"An0": (None, "02"), "An1": (date(1990, 5, 6), None)}


def test_the_planner_statistics_refresh_is_analyze_on_postgresql_and_nothing_on_sqlite(db):
    with CaptureQueriesContext(connection) as ctx:
        planner_statistics_refresh()  # inside the test's transaction, as in the demo's load
    analyzed = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor == "postgresql":  # the project's tables by name, never the shared catalogs
        assert len(analyzed) == 1 and '"people_employment"' in analyzed[0] and "pg_" not in analyzed[0]
    else:
        assert ctx.captured_queries == []
