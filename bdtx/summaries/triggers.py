"""The database triggers that log, in `summaries_change`, every write that may change a unit's
figures of a school year. Triggers, not Django signals: bulk `.update()`, imports, the admin and raw
SQL all change these tables, and a summary that misses one write is wrong until the next one.

What is logged (the unit and school year whose figures may have changed):

- an employment inserted, deleted, or updated in a column the figures read: its unit and year
  (before and after the change);
- an enrolment (same): its unit (where the dashboards count it) and the learner's employment of
  that year (where the results report counts it);
- a year result or a personal plan (same): the person's employment of that year; a plan's item: the
  employment of that year of the plan's person;
- a person whose gender or ethnicity changes: each of their employments;
- a unit whose ownership, difficult-area flag, kind or school levels change: every year it has employments or
  enrolments;
- a cohort whose programme, module or content title changes: the units of its enrolments and the
  learners' employments.

Each thing logged is one SELECT over the row written, `R` (`(SELECT NEW.id AS id, …) R`), run by a
row trigger on SQLite and by a row trigger's PL/pgSQL function on PostgreSQL: every statement in it
is an index lookup from that one row. (PostgreSQL's statement triggers over transition tables were
tried: a bulk UPDATE of 15,000 enrolments then took 80 s instead of 1 s, the planner joining the
old and new rows, which carry no statistics, by nested loops; docs/benchmarks.md.)
Changes to the organisation tree are not logged: the summaries are per unit, and a read sums them
over the tree of the year as it stands.
"""

from dataclasses import dataclass

CHANGE = "summaries_change"


@dataclass(frozen=True)
class Watched:
    table: str
    columns: tuple[str, ...]  # an UPDATE changing none of these is not logged
    selects: tuple[str, ...]  # SELECTs of (school_year_id, unit_id) over the rows written, `{rows} R`
    inserts_and_deletes: bool = True  # else only updates are logged (the row holds no figures itself)


_OWN = "SELECT R.school_year_id, R.unit_id FROM {rows} R"
_POSTS_OF_YEAR = (
    "SELECT e.school_year_id, e.unit_id FROM people_employment e"
    " JOIN {rows} R ON e.person_id = R.person_id AND e.school_year_id = R.school_year_id"
)

WATCHED = (
    Watched(
        "people_employment",
        ("person_id", "unit_id", "school_year_id", "status", "staff_type", "school_level", "difficult_area"),
        (_OWN,),
    ),
    Watched(
        "training_enrolment",
        (
            "person_id",
            "unit_id",
            "school_year_id",
            "cohort_id",
            "module_id",
            "status",
            "completed",
            "completion_checked_at",
        ),
        (_OWN, _POSTS_OF_YEAR),
    ),
    Watched("results_yearresult", ("person_id", "school_year_id", "completed"), (_POSTS_OF_YEAR,)),
    Watched("plans_personalplan", ("person_id", "school_year_id", "status"), (_POSTS_OF_YEAR,)),
    Watched(
        "plans_planitem",
        ("plan_id", "module_id"),
        (
            "SELECT e.school_year_id, e.unit_id FROM people_employment e JOIN plans_personalplan pl"
            " ON pl.person_id = e.person_id AND pl.school_year_id = e.school_year_id"
            " JOIN {rows} R ON pl.id = R.plan_id",
        ),
    ),
    Watched(
        "people_person",
        ("gender", "ethnicity_id"),
        ("SELECT e.school_year_id, e.unit_id FROM people_employment e JOIN {rows} R ON e.person_id = R.id",),
        inserts_and_deletes=False,
    ),
    Watched(
        "organisations_unit",
        ("ownership", "difficult_area", "kind", "levels"),
        (
            "SELECT e.school_year_id, e.unit_id FROM people_employment e JOIN {rows} R ON e.unit_id = R.id",
            "SELECT en.school_year_id, en.unit_id FROM training_enrolment en JOIN {rows} R ON en.unit_id = R.id",
        ),
        inserts_and_deletes=False,
    ),
    Watched(
        "training_cohort",
        ("programme", "module_id", "content_title"),
        (
            "SELECT en.school_year_id, en.unit_id FROM training_enrolment en JOIN {rows} R ON en.cohort_id = R.id",
            "SELECT e.school_year_id, e.unit_id FROM people_employment e JOIN training_enrolment en"
            " ON en.person_id = e.person_id AND en.school_year_id = e.school_year_id"
            " JOIN {rows} R ON en.cohort_id = R.id",
        ),
        inserts_and_deletes=False,
    ),
)


def _log(w: Watched, *sources: str) -> str:
    """One INSERT of the distinct (year, unit) the selects find over each source of rows."""
    union = " UNION ALL ".join(sel.format(rows=src) for src in sources for sel in w.selects)
    return (
        f"INSERT INTO {CHANGE} (school_year_id, unit_id) SELECT DISTINCT x.school_year_id, x.unit_id FROM ({union}) x;"
    )


def _changed(w: Watched, old: str, new: str, vendor: str) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"{old}.{c} {op} {new}.{c}" for c in w.columns)


def _row(w: Watched, alias: str) -> str:
    """The one row of a SQLite row trigger as a table: (SELECT NEW.id AS id, NEW.… AS …)."""
    return "(SELECT " + ", ".join(f"{alias}.{c} AS {c}" for c in ("id", *w.columns)) + ")"


def _sqlite(w: Watched) -> list[str]:
    name = f"summaries_{w.table}"
    out = []
    if w.inserts_and_deletes:
        out.append(f"CREATE TRIGGER {name}_ins AFTER INSERT ON {w.table} BEGIN {_log(w, _row(w, 'NEW'))} END")
        out.append(f"CREATE TRIGGER {name}_del AFTER DELETE ON {w.table} BEGIN {_log(w, _row(w, 'OLD'))} END")
    sides = (_row(w, "OLD"), _row(w, "NEW")) if w.inserts_and_deletes else (_row(w, "NEW"),)
    out.append(
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {w.table} WHEN {_changed(w, 'OLD', 'NEW', 'sqlite')}"
        f" BEGIN {_log(w, *sides)} END"
    )
    return out


def _postgresql(w: Watched) -> list[str]:
    name = f"summaries_{w.table}"
    old = f"IF TG_OP <> 'INSERT' THEN {_log(w, _row(w, 'OLD'))} END IF;" if w.inserts_and_deletes else ""
    new = f"IF TG_OP <> 'DELETE' THEN {_log(w, _row(w, 'NEW'))} END IF;"
    out = [
        f"CREATE OR REPLACE FUNCTION {name}_log() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {old} {new} RETURN NULL; END $$"
    ]
    if w.inserts_and_deletes:
        out.append(
            f"CREATE TRIGGER {name}_insdel AFTER INSERT OR DELETE ON {w.table}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}_log()"
        )
    out.append(
        f"CREATE TRIGGER {name}_upd AFTER UPDATE ON {w.table} FOR EACH ROW"
        f" WHEN ({_changed(w, 'OLD', 'NEW', 'postgresql')}) EXECUTE FUNCTION {name}_log()"
    )
    return out


def install_sql(vendor: str) -> list[str]:
    """The statements creating every trigger on this database."""
    make = _postgresql if vendor == "postgresql" else _sqlite
    return [s for w in WATCHED for s in make(w)]


def uninstall_sql(vendor: str) -> list[str]:
    """The statements dropping every trigger (and the first version's row triggers on PostgreSQL)."""
    out = []
    for w in WATCHED:
        name = f"summaries_{w.table}"
        if vendor == "postgresql":
            out += [f"DROP TRIGGER IF EXISTS {name}_{s} ON {w.table}" for s in ("ins", "del", "upd", "insdel")]
            out += [f"DROP FUNCTION IF EXISTS {name}_{s}()" for s in ("ins", "del", "upd", "log")]
        else:
            out += [f"DROP TRIGGER IF EXISTS {name}_{s}" for s in ("ins", "del", "upd")]
    return out


# Everything there is, as changed: what the migration logs for the data already in the database.
LOG_EVERYTHING = (
    f"INSERT INTO {CHANGE} (school_year_id, unit_id)"
    " SELECT school_year_id, unit_id FROM people_employment"
    " UNION SELECT school_year_id, unit_id FROM training_enrolment"
)
