"""Bulk writes for imports: prepared statements run in batches, no per-row SQL compilation.

Django's `bulk_create` compiles every row into the SQL string and `bulk_update` builds a CASE
expression per field per row; for tens of thousands of rows that Python work dominates (a
50,000-row update took minutes on SQLite). These helpers prepare each value once with the
field's own `get_db_prep_save` (fast paths for plain values) and let the driver loop in C.
They skip signals and `save()`, like the Django methods they replace; call them inside a
transaction.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone

# Field types whose Python value (str, int, bool or None) the drivers take as it is.
_PLAIN = frozenset(
    {
        "CharField",
        "TextField",
        "EmailField",
        "SlugField",
        "BooleanField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
    }
)
BATCH = 5000


def _is_plain(field: models.Field) -> bool:
    target = field.target_field if field.is_relation else field  # type: ignore[attr-defined]
    return target.get_internal_type() in _PLAIN or isinstance(target, AutoFieldMixin)


def _row_maker(fields: list[models.Field], conn: BaseDatabaseWrapper, *, add: bool) -> Callable[[models.Model], list]:
    """A function giving the database values of `fields` for an object, in order.

    Plain values are read in one C-level `attrgetter` call; the others (UUIDs, dates, JSON, and
    auto_now timestamps, stamped once per call) go through the field's `get_db_prep_save`.
    """
    getter = attrgetter(*(f.attname for f in fields))
    single = len(fields) == 1
    special: list[tuple[int, Callable[[models.Model], Any]]] = []
    for i, f in enumerate(fields):
        if _is_plain(f):
            continue
        if isinstance(f, models.DateTimeField) and (f.auto_now or (add and f.auto_now_add)):
            now = timezone.now()
            special.append((i, _stamper(f.attname, now, f.get_db_prep_save(now, conn))))
        else:
            special.append((i, _converter(f, conn)))

    def make(obj: models.Model) -> list:
        row = [getter(obj)] if single else list(getter(obj))
        for i, convert in special:
            row[i] = convert(obj)
        return row

    return make


def _stamper(attname: str, now: object, value: object) -> Callable[[models.Model], Any]:
    def stamp(obj: models.Model) -> Any:
        setattr(obj, attname, now)
        return value

    return stamp


def _converter(field: models.Field, conn: BaseDatabaseWrapper) -> Callable[[models.Model], Any]:
    attname = field.attname
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), conn)


def bulk_insert(objs: Sequence[models.Model], *, fetch_pk_by: str | None = None) -> None:
    """INSERT the objects. With `fetch_pk_by` (a unique field), read their new primary keys back."""
    if not objs:
        return
    model = type(objs[0])
    alias = router.db_for_write(model)
    conn = connections[alias]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    make = _row_maker(fields, conn, add=True)
    foreign: list[Any] = [f for f in fields if f.is_relation]
    for obj in objs:
        # A foreign key given as an object saved after this one was built: take its id (as Django does).
        if any(getattr(obj, f.attname) is None and f.is_cached(obj) for f in foreign):
            obj._prepare_related_fields_for_save(operation_name="bulk_insert")  # type: ignore[attr-defined]
    _insert(conn, meta.db_table, fields, (make(o) for o in objs))
    if fetch_pk_by:
        key = meta.get_field(fetch_pk_by).attname  # type: ignore[union-attr]
        by_key = {getattr(o, key): o for o in objs}
        keys = list(by_key)
        for start in range(0, len(keys), BATCH):
            found = model._base_manager.using(alias).filter(**{f"{fetch_pk_by}__in": keys[start : start + BATCH]})
            for k, pk in found.values_list(fetch_pk_by, "pk"):
                obj = by_key[k]
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = alias


def bulk_insert_values(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, ignore_conflicts: bool = False
) -> None:
    """INSERT rows given as {attname: value}, all with the same keys, without building instances.

    Fields a row does not name get their default (a callable one, such as a UUID, per row) or,
    for auto_now timestamps, the time of the call. Model instances cost tens of microseconds
    each to build; for audit entries and link rows nobody reads back, a dict is enough.
    With `ignore_conflicts`, a row that would break a unique constraint is skipped (`ON CONFLICT DO
    NOTHING`, on SQLite and PostgreSQL alike), as `bulk_create(ignore_conflicts=True)` does.
    """
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    given = set(rows[0])
    getters: list[Callable[[dict[str, Any]], Any]] = []
    for f in fields:
        if f.attname in given:
            getters.append(_value_getter(f, conn))
        elif isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
            stamp = f.get_db_prep_save(timezone.now(), conn)
            getters.append(lambda row, stamp=stamp: stamp)  # type: ignore[misc]
        elif f.has_default() and callable(f.default):
            getters.append(lambda row, f=f: f.get_db_prep_save(f.default(), conn))  # type: ignore[misc]
        else:
            constant = f.get_db_prep_save(f.get_default(), conn)
            getters.append(lambda row, constant=constant: constant)  # type: ignore[misc]
    _insert(conn, meta.db_table, fields, ([g(row) for g in getters] for row in rows), ignore_conflicts=ignore_conflicts)


def _insert(
    conn: BaseDatabaseWrapper,
    table: str,
    fields: list[Any],
    rows: Iterable[list[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    qn = conn.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(
        qn(table),
        ", ".join(qn(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
        " ON CONFLICT DO NOTHING" if ignore_conflicts else "",
    )
    _executemany(conn, sql, rows)


def _executemany(conn: BaseDatabaseWrapper, sql: str, rows: Iterable[list[Any]]) -> None:
    """Run one statement for every row, in batches.

    SQLite's executemany loops in C. Django's PostgreSQL cursors bind parameters on the client,
    where executemany costs a round trip per row; a psycopg cursor binding on the server sends
    the rows in pipeline mode instead. Both run inside the current transaction.
    """
    if conn.vendor == "postgresql":
        import psycopg

        conn.ensure_connection()
        with psycopg.Cursor(conn.connection) as cursor:
            for batch in _batches(rows, BATCH):
                cursor.executemany(sql, batch)
        return
    with conn.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, batch)


def _batches(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _value_getter(field: models.Field, conn: BaseDatabaseWrapper) -> Callable[[dict[str, Any]], Any]:
    attname = field.attname
    if _is_plain(field):
        return itemgetter(attname)
    return lambda row: field.get_db_prep_save(row[attname], conn)


def bulk_update_fields(objs: Sequence[models.Model], field_names: Sequence[str]) -> None:
    """UPDATE these fields of the objects, matched by primary key."""
    if not objs:
        return
    model = type(objs[0])
    conn = connections[router.db_for_write(model)]
    meta = model._meta
    fields: list[Any] = [meta.get_field(n) for n in field_names]
    pk: Any = meta.pk
    make = _row_maker(fields, conn, add=False)
    qn = conn.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields), qn(pk.column)
    )
    _executemany(conn, sql, ([*make(o), o.pk] for o in objs))


def planner_statistics_refresh(using: str = "default") -> None:
    """Bring the query planner's statistics of the project's tables up to date after a bulk load:
    PostgreSQL's ANALYZE of each table Django knows.

    PostgreSQL plans from statistics that autovacuum gathers only from committed rows, and only once a
    tenth of a table changed. Thousands of rows written earlier in the same transaction (the demo's
    load, a test's), or a new school year's first rows in a big table, look absent to it: it estimates
    one row and picks nested loops that rescan whole tables per row, turning a query of milliseconds
    into one of minutes. ANALYZE runs inside a transaction and sees its own rows.

    The tables are named, never a bare ANALYZE: that one also takes the cluster's shared catalogs
    (pg_authid…), whose lock it keeps to the end of the transaction, so a second database's ANALYZE
    (another test worker's) waited for the first's whole transaction. SQLite plans without statistics
    unless asked to keep them, so nothing is done there.
    """
    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    tables = sorted(conn.introspection.django_table_names(only_existing=True, include_views=False))
    if tables:
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(conn.ops.quote_name(t) for t in tables))
