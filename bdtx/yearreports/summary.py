"""The results report's summary of each unit (`models.UnitFigures`), rewritten by the summaries app
when the data under a unit changes (registered in `apps.py`).

A unit's rows are its people grouped by everything the report counts (definitions in `figures`):
the report of a subtree is then the sum of its schools' rows, one grouped query over a few hundred
rows per school instead of the people and enrolments of the whole subtree. One statement computes the
rows of any number of units (the population and its enrolments read once, as materialised CTEs; plain
SQL that SQLite ≥ 3.35 and PostgreSQL share, because the ORM cannot name a CTE and group it three ways).
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from bdtx.organisations.models import Unit
from bdtx.people.models import KINH_CODE, Employment, Person
from bdtx.plans.unit.selectors import IN_SCOPE_STATUSES
from bdtx.results.models import YearResult
from bdtx.training.models import ACTIVE_STATUSES, Cohort, Enrolment
from bdtx.yearreports.models import UnitFigures

_REFRESH_SQL = """
WITH pop AS MATERIALIZED (
    SELECT e.unit_id, e.person_id, e.staff_type, e.school_level, u.ownership,
           CASE WHEN p.gender = 'F' THEN 1 ELSE 0 END AS w,
           CASE WHEN p.ethnicity_id IS NOT NULL AND p.ethnicity_id <> %s THEN 1 ELSE 0 END AS m,
           CASE WHEN COALESCE(e.difficult_area, u.difficult_area) THEN 1 ELSE 0 END AS d,
           CASE WHEN r.id IS NULL THEN NULL WHEN r.completed THEN 1 ELSE 0 END AS r
    FROM {employment} e
    JOIN {unit} u ON u.id = e.unit_id
    JOIN {person} p ON p.id = e.person_id
    LEFT JOIN {result} r ON r.person_id = e.person_id AND r.school_year_id = e.school_year_id
    WHERE e.school_year_id = %s AND e.status IN ({statuses}) AND e.unit_id IN ({units})
), enr AS MATERIALIZED (
    SELECT pop.unit_id, pop.person_id, pop.w, pop.m, pop.d, c.programme, en.module_id,
           CASE WHEN en.completed THEN 1 ELSE 0 END AS done
    FROM pop
    JOIN {enrolment} en ON en.person_id = pop.person_id
    JOIN {cohort} c ON c.id = en.cohort_id
    WHERE en.school_year_id = %s AND en.status IN ({active})
)
INSERT INTO {summary} (school_year_id, unit_id, kind, code, level, ownership, w, m, d, r, n)
SELECT %s, unit_id, 'cell', staff_type, school_level, ownership, w, m, d, r, COUNT(*)
FROM pop GROUP BY unit_id, staff_type, school_level, ownership, w, m, d, r
UNION ALL
SELECT %s, unit_id, 'programme', programme, NULL, NULL, w, m, d, done, COUNT(*)
FROM (SELECT unit_id, programme, w, m, d, MIN(done) AS done FROM enr GROUP BY unit_id, person_id, programme, w, m, d) pp
GROUP BY unit_id, programme, w, m, d, done
UNION ALL
SELECT %s, unit_id, 'module', CAST(module_id AS TEXT), NULL, NULL, w, m, d, done, COUNT(*)
FROM enr WHERE module_id IS NOT NULL GROUP BY unit_id, module_id, w, m, d, done
"""


def summarise(school_year_id: int, unit_ids: Sequence[int]) -> None:
    """Write the rows of these units for the year again (two statements)."""
    UnitFigures.objects.filter(school_year_id=school_year_id, unit_id__in=unit_ids).delete()
    tables = {
        "employment": Employment,
        "unit": Unit,
        "person": Person,
        "result": YearResult,
        "enrolment": Enrolment,
        "cohort": Cohort,
        "summary": UnitFigures,
    }
    sql = _REFRESH_SQL.format(
        units=", ".join(["%s"] * len(unit_ids)),
        statuses=", ".join(["%s"] * len(IN_SCOPE_STATUSES)),
        active=", ".join(["%s"] * len(ACTIVE_STATUSES)),
        **{name: connection.ops.quote_name(model._meta.db_table) for name, model in tables.items()},
    )
    params: list[Any] = [
        KINH_CODE,
        school_year_id,
        *IN_SCOPE_STATUSES,
        *unit_ids,
        school_year_id,
        *ACTIVE_STATUSES,
        school_year_id,
        school_year_id,
        school_year_id,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
