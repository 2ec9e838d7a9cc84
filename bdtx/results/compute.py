"""Year results computed from data, set-based (issue 10).

For the people whose personal plan of the year is approved in a unit's subtree, a handful of queries
read what decides the result — each plan item with whether a completed module (three-way completion,
`Enrolment.completed`) covers it, every graded score of the year (the components' scores and the LMS's
own test), the regimes — the rule of the plan's regime (`bdtx.regimes.grading.grade_compute`, data)
decides each person's result in memory, and the results are written in batches: the ones not yet
recognised are replaced (keeping their identity and proposal), recognised ones are never touched.

TT 19/2019 (with TT 17/2022): Hoàn thành when every item of the approved plan is completed and every
graded component reaches the pass mark. TT 26/2012: components nd1 (programme 01), nd2 (programme 02)
and nd3 (the mean of the programme 03 modules), each a module's mean score, averaged and classified.
"""

import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone

from bdtx.core.bulk import bulk_insert_values
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.grading import grade_compute
from bdtx.regimes.models import Programme, Regime
from bdtx.results.models import ResultSource, ResultStatus, YearResult
from bdtx.training.models import Enrolment, EnrolmentStatus, LmsResult, Score

BATCH = 5000
PROGRAMME_COMPONENT: dict[str, str] = {Programme.BD01: "nd1", Programme.BD02: "nd2", Programme.BD03: "nd3"}


@dataclass(frozen=True)
class ComputeSummary:
    people: int
    completed: int
    kept: int  # recognised results left as they are


def _item_done() -> Exists:
    """A completed module of the plan's person and year covers the item: the same module (programme
    03), or a cohort of the same programme (programmes 01 and 02: content topics)."""
    same = Q(module_id=OuterRef("module_id")) | Q(module__isnull=True, cohort__programme=OuterRef("programme"))
    return Exists(
        Enrolment.objects.filter(
            same,
            person_id=OuterRef("plan__person_id"),
            school_year_id=OuterRef("plan__school_year_id"),
            status=EnrolmentStatus.ENROLLED,
            completed=True,
        )
    )


def _scores(person_ids: list[int], year: SchoolYear) -> dict[int, list[tuple[int, str, str, Decimal]]]:
    """person → [(enrolment, programme, what, score)] of the year: each component's score and the
    LMS's test score (its latest result with a score). Two queries per batch of people."""
    out: dict[int, list[tuple[int, str, str, Decimal]]] = defaultdict(list)
    for i in range(0, len(person_ids), BATCH):
        ids = person_ids[i : i + BATCH]
        base = dict(person_id__in=ids, school_year=year, status=EnrolmentStatus.ENROLLED)
        rows = Score.objects.filter(**{f"enrolment__{k}": v for k, v in base.items()}).values_list(
            "enrolment__person_id", "enrolment_id", "enrolment__cohort__programme", "component__name", "value"
        )
        for person, enrolment, programme, name, value in rows.order_by():
            out[person].append((enrolment, programme, name, value))
        latest = LmsResult.objects.filter(enrolment=OuterRef("pk"), score__isnull=False).order_by("-id")
        lms = (
            Enrolment.objects.filter(**base)
            .annotate(lms_score=Subquery(latest.values("score")[:1]))
            .filter(lms_score__isnull=False)
            .values_list("person_id", "pk", "cohort__programme", "cohort__name", "lms_score")
        )
        for person, enrolment, programme, cohort, value in lms.order_by():
            out[person].append((enrolment, programme, f"LMS — {cohort}", value))
    return out


def _grade_input(regime: Regime, scores: list[tuple[int, str, str, Decimal]]) -> dict[str, Any]:
    """The scores as the regime's grading reads them: every score for a pass/fail regime; per
    component (nd1, nd2, nd3), each module's mean, for a graded one."""
    if not (regime.grading or {}).get("thresholds"):
        return {"all": [v for *_x, v in scores]}
    by_enrolment: dict[int, list[Decimal]] = defaultdict(list)
    programme_of: dict[int, str] = {}
    for enrolment, programme, _what, value in scores:
        by_enrolment[enrolment].append(value)
        programme_of[enrolment] = programme
    out: dict[str, list[Decimal]] = defaultdict(list)
    for enrolment, values in by_enrolment.items():
        out[PROGRAMME_COMPONENT.get(programme_of[enrolment], "nd3")].append(sum(values, Decimal(0)) / len(values))
    return {k: v[0] if k != "nd3" and len(v) == 1 else v for k, v in out.items()}


@transaction.atomic
def results_compute(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> ComputeSummary:
    """Compute (again) the year results of the people with an approved plan in `unit`'s subtree.
    The school approves plans and proposes results: PLANS_APPROVE over the unit."""
    if not scope.has(Perm.PLANS_APPROVE, unit.path):
        raise PermissionDenied
    plans = list(
        PersonalPlan.objects.within(unit.path)
        .filter(school_year=school_year, status=PlanStatus.APPROVED)
        .values_list("pk", "person_id", "unit_id", "regime_id")
    )
    plan_ids = [p[0] for p in plans]
    person_ids = [p[1] for p in plans]
    items: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for i in range(0, len(plan_ids), BATCH):
        rows = (
            PlanItem.objects.filter(plan_id__in=plan_ids[i : i + BATCH])
            .annotate(done=_item_done())
            .values_list("plan_id", "title", "done")
            .order_by()
        )
        for plan_id, title, done in rows:
            items[plan_id].append((title, done))
    scores = _scores(person_ids, school_year)
    regimes = {r.pk: r for r in Regime.objects.filter(pk__in={p[3] for p in plans})}
    existing = {
        person: (pk, uuid, created, status, proposed_by, proposed_at)
        for person, pk, uuid, created, status, proposed_by, proposed_at in YearResult.objects.filter(
            person_id__in=person_ids, school_year=school_year
        ).values_list("person_id", "pk", "uuid", "created_at", "status", "proposed_by_id", "proposed_at")
    }
    now = timezone.now()
    rows_out: list[dict[str, Any]] = []
    replaced: list[int] = []
    kept = completed = 0
    for plan_id, person_id, unit_id, regime_id in plans:
        old = existing.get(person_id)
        if old is not None and old[3] == ResultStatus.RECOGNISED:
            kept += 1
            continue
        regime = regimes[regime_id]
        plan_items = items.get(plan_id, [])
        person_scores = scores.get(person_id, [])
        reasons: list[dict[str, str]] = [{"code": "item", "title": t} for t, done in plan_items if not done]
        if not plan_items:
            reasons.append({"code": "empty_plan"})
        reasons += [
            {"code": "score", "what": what, "value": f"{value:.2f}"}
            for _e, _p, what, value in person_scores
            if value < regime.pass_mark
        ]
        if not person_scores:
            reasons.append({"code": "no_scores"})
        grade = grade_compute(
            regime=regime,
            scores=_grade_input(regime, person_scores),
            complete=bool(plan_items) and all(done for _t, done in plan_items),
        )
        completed += grade.completed
        row: dict[str, Any] = {
            "person_id": person_id,
            "school_year_id": school_year.pk,
            "unit_id": unit_id,
            "plan_id": plan_id,
            "regime_id": regime_id,
            "category": grade.category,
            "label": grade.label,
            "completed": grade.completed,
            "average": grade.average,
            "reasons": [] if grade.completed else reasons,
            "source": ResultSource.COMPUTED,
            "status": ResultStatus.COMPUTED,
            "computed_at": now,
            "created_at": now,
            "updated_at": now,
            "proposed_by_id": None,
            "proposed_at": None,
            "recognised_by_id": None,
            "recognised_at": None,
        }
        if old is not None:  # the same result, recomputed: its identity and its proposal stay
            replaced.append(old[0])
            row.update(uuid=old[1], created_at=old[2], status=old[3], proposed_by_id=old[4], proposed_at=old[5])
        rows_out.append(row)
    for i in range(0, len(replaced), BATCH):
        YearResult.objects.filter(pk__in=replaced[i : i + BATCH]).delete()
    _insert(rows_out)
    audit_record(
        actor_id=scope.user_id,
        action="results.compute",
        obj=unit,
        unit_path=unit.path,
        changes={"people": [None, len(rows_out)], "completed": [None, completed], "kept": [None, kept]},
    )
    return ComputeSummary(people=len(rows_out), completed=completed, kept=kept)


def _insert(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        row.setdefault("uuid", uuidlib.uuid4())
    for i in range(0, len(rows), BATCH):
        bulk_insert_values(YearResult, rows[i : i + BATCH])
