"""Biểu 3's summaries of each unit (`models.UnitScope`, `models.UnitJoined`), rewritten by the
summaries app when the data under a unit changes (registered in `apps.py`): 2.1, 5.3, 2.2 and 2.3 of
a report are the sums of its subtree's units' rows for its modules, audience and (for 2.2 and 2.3) the
cohorts whose schedule falls in its period. The definitions are those of `figures`; each person's
traits are computed once per row here instead of in a conditional count per group there.

Plain SQL that SQLite and PostgreSQL share (each statement groups by the positions of its select list).
"""

from collections.abc import Sequence
from typing import Any

from django.db import connection

from bdtx.bieu3.figures import IN_SERVICE
from bdtx.bieu3.models import UnitJoined, UnitScope
from bdtx.organisations.models import SchoolLevel, Unit
from bdtx.people.models import KINH_CODE, Employment, Person
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.training.models import ACTIVE_STATUSES, Enrolment

# the traits of an employment `e` (with its unit `u` and person `p`): audience, woman, minority, difficult
_TRAITS = """
    CASE WHEN e.school_level = %s OR (e.school_level = '' AND u.levels LIKE %s) THEN TRUE ELSE FALSE END,
    CASE WHEN p.gender = 'F' THEN TRUE ELSE FALSE END,
    CASE WHEN p.ethnicity_id IS NOT NULL AND p.ethnicity_id <> %s THEN TRUE ELSE FALSE END,
    CASE WHEN COALESCE(e.difficult_area, u.difficult_area) THEN TRUE ELSE FALSE END"""

_SCOPE_SQL = """
INSERT INTO {scope} (school_year_id, unit_id, module_id, preschool, w, m, d, started, n)
SELECT e.school_year_id, e.unit_id, i.module_id, {traits},
    CASE WHEN EXISTS (
        SELECT 1 FROM {enrolment} en WHERE en.person_id = e.person_id AND en.module_id = i.module_id
        AND en.school_year_id = e.school_year_id AND en.status IN ({active})
    ) THEN TRUE ELSE FALSE END,
    COUNT(*)
FROM {employment} e
JOIN {unit} u ON u.id = e.unit_id
JOIN {person} p ON p.id = e.person_id
JOIN {plan} pl ON pl.person_id = e.person_id AND pl.school_year_id = e.school_year_id AND pl.status = %s
JOIN {item} i ON i.plan_id = pl.id AND i.module_id IS NOT NULL
WHERE e.school_year_id = %s AND e.status IN ({in_service}) AND e.unit_id IN ({units})
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""

_JOINED_SQL = """
INSERT INTO {joined} (school_year_id, unit_id, cohort_id, module_id, preschool, w, m, d, completed, n)
SELECT e.school_year_id, e.unit_id, en.cohort_id, en.module_id, {traits},
    CASE WHEN en.completed THEN TRUE ELSE FALSE END, COUNT(*)
FROM {employment} e
JOIN {unit} u ON u.id = e.unit_id
JOIN {person} p ON p.id = e.person_id
JOIN {enrolment} en ON en.person_id = e.person_id AND en.school_year_id = e.school_year_id
WHERE e.school_year_id = %s AND e.unit_id IN ({units}) AND en.module_id IS NOT NULL AND en.status IN ({active})
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
"""


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def summarise(school_year_id: int, unit_ids: Sequence[int]) -> None:
    """Write the Biểu 3 rows of these units for the year again (four statements)."""
    UnitScope.objects.filter(school_year_id=school_year_id, unit_id__in=unit_ids).delete()
    UnitJoined.objects.filter(school_year_id=school_year_id, unit_id__in=unit_ids).delete()
    q = connection.ops.quote_name
    tables = {
        "scope": UnitScope,
        "joined": UnitJoined,
        "employment": Employment,
        "unit": Unit,
        "person": Person,
        "plan": PersonalPlan,
        "item": PlanItem,
        "enrolment": Enrolment,
    }
    names = {k: q(m._meta.db_table) for k, m in tables.items()}
    traits: list[Any] = [SchoolLevel.MN, f"%,{SchoolLevel.MN},%", KINH_CODE]
    units = _marks(len(unit_ids))
    active = _marks(len(ACTIVE_STATUSES))
    scope_sql = _SCOPE_SQL.format(
        traits=_TRAITS, active=active, in_service=_marks(len(IN_SERVICE)), units=units, **names
    )
    joined_sql = _JOINED_SQL.format(traits=_TRAITS, active=active, units=units, **names)
    with connection.cursor() as cursor:
        cursor.execute(
            scope_sql,
            [*traits, *ACTIVE_STATUSES, PlanStatus.APPROVED, school_year_id, *IN_SERVICE, *unit_ids],
        )
        cursor.execute(joined_sql, [*traits, school_year_id, *unit_ids, *ACTIVE_STATUSES])
