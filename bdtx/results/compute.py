"""Year results computed from data, set-based (issue 10).

For the people whose personal plan of the year is approved in a unit's subtree, a handful of queries
read what decides the result — each plan item with whether a completed module (three-way completion,
`Enrolment.completed`) covers it, every graded score of the year (the components' scores and the LMS's
own test), a core teacher's tiết quy đổi (learners supported × `MentorRule`), the regimes — the rule of
the plan's regime (`bdtx.regimes.grading.grade_compute`, data) decides each person's result in memory,
and the results are written in batches: the ones not yet recognised are replaced (keeping their
identity and proposal), recognised ones are never touched.

TT 19/2019 (with TT 17/2022): Hoàn thành when every item of the approved plan is completed and every
graded component reaches the pass mark. A core teacher's tiết quy đổi stand for items of the programme
`MentorRule.counts_towards` names (programme 03): the open items of that programme count as done when
the periods of its completed items and the tiết quy đổi reach the periods the plan gives it. TT 26/2012:
the score components of the regime's grading data, each taking the scores of the programmes it lists
(nd1 ← programme 01, nd2 ← 02, nd3 ← each module of 03), each a module's mean, averaged and classified.

When a completion or a score changes, training tells `results_refresh` (`training.hooks`), which
recomputes the results already computed and not yet recognised of the people concerned.
"""

import uuid as uuidlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from bdtx.core.bulk import bulk_insert_values
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.grading import grade_compute
from bdtx.regimes.models import Regime
from bdtx.results.models import ResultSource, ResultStatus, YearResult
from bdtx.training.models import Enrolment, EnrolmentStatus, LmsResult, Score
from bdtx.training.selectors import mentor_rule_for

BATCH = 5000


@dataclass(frozen=True)
class ComputeSummary:
    people: int
    completed: int
    kept: int  # recognised results left as they are


PlanRow = tuple[int, int, int, int]  # plan, person, unit, regime


@dataclass(frozen=True)
class Item:
    title: str
    programme: str
    hours: int
    done: bool


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
    """The scores as the regime's grading reads them: every score for a pass/fail regime; for a graded
    one, each score component (nd1, nd2, nd3) takes each module's mean of the programmes it lists
    (the regime's data: `grading.components[].programmes`). Scores of a programme no component lists
    count for none."""
    grading = regime.grading or {}
    if not grading.get("thresholds"):
        return {"all": [v for *_x, v in scores]}
    component_of = {p: c["code"] for c in grading.get("components", []) for p in c.get("programmes") or []}
    by_enrolment: dict[int, list[Decimal]] = defaultdict(list)
    programme_of: dict[int, str] = {}
    for enrolment, programme, _what, value in scores:
        by_enrolment[enrolment].append(value)
        programme_of[enrolment] = programme
    out: dict[str, list[Decimal]] = defaultdict(list)
    for enrolment, values in by_enrolment.items():
        code = component_of.get(programme_of[enrolment])
        if code is not None:
            out[code].append(sum(values, Decimal(0)) / len(values))
    return {k: v[0] if len(v) == 1 else v for k, v in out.items()}


def _components_text(grade_input: dict[str, Any]) -> dict[str, Any]:
    """The component scores as stored with the result ({"nd1": "8.50", "nd3": ["9.00", "7.25"]})."""

    def text(v: Decimal) -> str:
        return f"{v:.2f}"

    return {k: [text(x) for x in v] if isinstance(v, list) else text(v) for k, v in grade_input.items()}


def _mentor_hours(person_ids: list[int], year: SchoolYear) -> tuple[dict[int, Decimal], str]:
    """{core teacher: tiết quy đổi of the year} for those of `person_ids` who support learners, and the
    programme they count towards (the `MentorRule` of the year; none: they count for nothing)."""
    rule = mentor_rule_for(year)
    if rule is None or not rule.counts_towards:
        return {}, ""
    out: dict[int, Decimal] = {}
    for i in range(0, len(person_ids), BATCH):
        rows = (
            Enrolment.objects.filter(
                group__mentor_id__in=person_ids[i : i + BATCH], school_year=year, status=EnrolmentStatus.ENROLLED
            )
            .order_by()
            .values("group__mentor_id")
            .annotate(n=Count("pk"))
            .values_list("group__mentor_id", "n")
        )
        for mentor, n in rows:
            out[mentor] = (Decimal(n) * rule.hours_per_block / rule.learners_per_block).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
    return out, rule.counts_towards


def _open_items(items: list[Item], mentor_hours: Decimal, programme: str) -> tuple[list[Item], dict[str, str]]:
    """The plan's items still open once the tiết quy đổi are counted: those of `programme` count as
    done when its completed periods and the tiết quy đổi reach the periods the plan gives it. Returns
    them with what the result keeps of the tiết quy đổi (none when the person supports nobody)."""
    open_items = [it for it in items if not it.done]
    if not mentor_hours or not programme:
        return open_items, {}
    planned = sum(it.hours for it in items if it.programme == programme)
    done = sum(it.hours for it in items if it.programme == programme and it.done)
    kept = {"mentor_hours": f"{mentor_hours:.1f}", "programme": programme, "needed": str(max(planned - done, 0))}
    if done + mentor_hours >= planned:
        return [it for it in open_items if it.programme != programme], kept
    return open_items, kept


def _plans_in(unit: Unit, school_year: SchoolYear) -> list[PlanRow]:
    return list(
        PersonalPlan.objects.within(unit.path)
        .filter(school_year=school_year, status=PlanStatus.APPROVED)
        .values_list("pk", "person_id", "unit_id", "regime_id")
    )


def _compute(plans: list[PlanRow], school_year: SchoolYear) -> ComputeSummary:
    """Compute and write the results of these approved plans (recognised ones are kept as they are)."""
    plan_ids = [p[0] for p in plans]
    person_ids = [p[1] for p in plans]
    items: dict[int, list[Item]] = defaultdict(list)
    for i in range(0, len(plan_ids), BATCH):
        rows = (
            PlanItem.objects.filter(plan_id__in=plan_ids[i : i + BATCH])
            .annotate(done=_item_done())
            .values_list("plan_id", "title", "programme", "hours", "done")
            .order_by("plan_id", "programme", "id")
        )
        for plan_id, title, programme, hours, done in rows:
            items[plan_id].append(Item(title, programme, hours, done))
    scores = _scores(person_ids, school_year)
    mentor, counts_towards = _mentor_hours(person_ids, school_year)
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
        open_items, mentor_kept = _open_items(plan_items, mentor.get(person_id, Decimal(0)), counts_towards)
        person_scores = scores.get(person_id, [])
        reasons: list[dict[str, str]] = [{"code": "item", "title": it.title} for it in open_items]
        if mentor_kept and open_items:
            reasons.append(
                {"code": "mentor_hours", "hours": mentor_kept["mentor_hours"], "needed": mentor_kept["needed"]}
            )
        if not plan_items:
            reasons.append({"code": "empty_plan"})
        reasons += [
            {"code": "score", "what": what, "value": f"{value:.2f}"}
            for _e, _p, what, value in person_scores
            if value < regime.pass_mark
        ]
        if not person_scores:
            reasons.append({"code": "no_scores"})
        grade_input = _grade_input(regime, person_scores)
        grade = grade_compute(regime=regime, scores=grade_input, complete=bool(plan_items) and not open_items)
        graded = bool((regime.grading or {}).get("thresholds"))
        if graded and not grade.completed:
            reasons += [
                {"code": "component_missing", "what": c.get("label", c["code"])}
                for c in regime.grading.get("components", [])
                if c["code"] not in grade_input
            ]
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
            "components": {**(_components_text(grade_input) if graded else {}), **mentor_kept},
            "note": "",
            "source": ResultSource.COMPUTED,
            "status": ResultStatus.COMPUTED,
            "computed_at": now,
            "created_at": now,
            "updated_at": now,
            "proposed_by_id": None,
            "proposed_at": None,
            "recognised_by_id": None,
            "recognised_at": None,
            "recognised_unit_id": None,
            "return_comment": "",
        }
        if old is not None:  # the same result, recomputed: its identity and its proposal stay
            replaced.append(old[0])
            row.update(uuid=old[1], created_at=old[2], status=old[3], proposed_by_id=old[4], proposed_at=old[5])
        rows_out.append(row)
    for i in range(0, len(replaced), BATCH):
        YearResult.objects.filter(pk__in=replaced[i : i + BATCH]).delete()
    _insert(rows_out)
    return ComputeSummary(people=len(rows_out), completed=completed, kept=kept)


@transaction.atomic
def results_compute(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> ComputeSummary:
    """Compute (again) the year results of the people with an approved plan in `unit`'s subtree.
    The school approves plans and proposes results: PLANS_APPROVE over the unit."""
    if not scope.has(Perm.PLANS_APPROVE, unit.path):
        raise PermissionDenied
    summary = _compute(_plans_in(unit, school_year), school_year)
    audit_record(
        actor_id=scope.user_id,
        action="results.compute",
        obj=unit,
        unit_path=unit.path,
        changes={
            "people": [None, summary.people],
            "completed": [None, summary.completed],
            "kept": [None, summary.kept],
        },
    )
    return summary


def results_refresh(person_ids: Collection[int], school_year_id: int) -> None:
    """Recompute the results already computed and not yet recognised of these people (training tells it
    when a completion or a score changes: `training.hooks`). It runs inside the change's transaction,
    which was checked and audited by the service that made it; people whose school has not computed
    its results yet are left for that first computation."""
    ids = list(
        YearResult.objects.filter(person_id__in=list(person_ids), school_year_id=school_year_id)
        .exclude(status=ResultStatus.RECOGNISED)
        .values_list("person_id", flat=True)
    )
    if not ids:
        return
    plans = list(
        PersonalPlan.objects.filter(person_id__in=ids, school_year_id=school_year_id, status=PlanStatus.APPROVED)
        .values_list("pk", "person_id", "unit_id", "regime_id")
        .order_by()
    )
    _compute(plans, SchoolYear.objects.get(pk=school_year_id))


def _insert(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        row.setdefault("uuid", uuidlib.uuid4())
    for i in range(0, len(rows), BATCH):
        bulk_insert_values(YearResult, rows[i : i + BATCH])
