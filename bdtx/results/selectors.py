"""Reads of year results: who recognises a school's results (`RecognitionRule`), a school's list with
its summary, the schools waiting for an authority's recognition, one result with its history."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_ids
from bdtx.core.text import vn_text_key
from bdtx.organisations.models import Unit, UnitPlacement
from bdtx.results.models import Recogniser, RecognitionRule, ResultStatus, YearResult


def recognisers_of(*, school_ids: Iterable[int], school_year: SchoolYear) -> dict[int, Unit]:
    """{school id: the unit that recognises its results of `school_year`}, in two queries whatever the
    number of schools. The tree is the one in force on the year's last day (today, if earlier), as
    for the completion lists. By the province's `RecognitionRule` in force that year: the school's
    managing unit (its parent then: a commune or district office, or the Sở for its own schools), or
    the Sở for every school. No rule for the province: the managing unit. A school without a
    placement that day is left out."""
    day = min(timezone.localdate(), school_year.ends_on)
    placements = list(
        UnitPlacement.objects.on(day)
        .filter(unit_id__in=list(school_ids), parent__isnull=False)
        .select_related("parent")
    )
    if not placements:
        return {}
    above = {pk for p in placements for pk in ancestor_ids(p.path)}
    rules: dict[int, RecognitionRule] = {}
    for rule in (
        RecognitionRule.objects.in_force(school_year).filter(province_id__in=above).select_related("province")
    ).order_by("first_year"):
        rules[rule.province_id] = rule  # the latest version wins when two overlap
    out: dict[int, Unit] = {}
    for p in placements:
        found = next((rules[pk] for pk in ancestor_ids(p.path) if pk in rules), None)
        if found is not None and found.recogniser == Recogniser.PROVINCE:
            out[p.unit_id] = found.province
        elif p.parent is not None:
            out[p.unit_id] = p.parent
    return out


def recogniser_of(*, school: Unit, school_year: SchoolYear) -> Unit | None:
    """The unit that recognises `school`'s results of `school_year` (`recognisers_of`), or None when
    the school has no place in the tree that year."""
    return recognisers_of(school_ids=[school.pk], school_year=school_year).get(school.pk)


def may_recognise(scope: Scope, recogniser: Unit | None) -> bool:
    """The scope holds RESULTS_RECOGNISE over the recognising unit."""
    return recogniser is not None and scope.has(Perm.RESULTS_RECOGNISE, recogniser.path)


# --- a school's list ---------------------------------------------------------------------------------


def home_unit(*, scope: Scope) -> Unit | None:
    """The highest unit where the viewer proposes results (PLANS_APPROVE), else where they recognise
    them: a principal's school, an office, the Sở."""
    for perm in (Perm.PLANS_APPROVE, Perm.RESULTS_RECOGNISE):
        ids = scope.units_with(perm)
        if ids:
            return Unit.objects.visible_to(scope).filter(pk__in=ids).order_by("depth", "name").first()
    return None


def results_of_unit(
    *, unit: Unit, school_year: SchoolYear, status: str = "", category: str = ""
) -> QuerySet[YearResult]:
    """The results of `unit`'s subtree for the year, by name the Vietnamese way (the caller resolved the
    unit in the viewer's scope)."""
    qs = YearResult.objects.within(unit.path).filter(school_year=school_year)
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("person", "unit").order_by("person__sort_key", "id")


@dataclass(frozen=True)
class ResultSummary:
    total: int
    computed: int
    proposed: int
    recognised: int
    completed: int
    categories: list[tuple[str, str, int]]  # (code, label, count)


def results_summary(*, unit: Unit, school_year: SchoolYear) -> ResultSummary:
    """Counts by status and by category of the subtree's results: two grouped queries."""
    qs = YearResult.objects.within(unit.path).filter(school_year=school_year).order_by()
    c = qs.aggregate(
        total=Count("pk"),
        computed=Count("pk", filter=Q(status=ResultStatus.COMPUTED)),
        proposed=Count("pk", filter=Q(status=ResultStatus.PROPOSED)),
        recognised=Count("pk", filter=Q(status=ResultStatus.RECOGNISED)),
        completed=Count("pk", filter=Q(completed=True)),
    )
    cats = [
        (code, label, n)
        for code, label, n in qs.values("category", "label")
        .annotate(n=Count("pk"))
        .values_list("category", "label", "n")
        .order_by("label")
    ]
    return ResultSummary(**c, categories=cats)


# --- the authority's page --------------------------------------------------------------------------------


@dataclass
class SchoolWaiting:
    school: Unit
    recogniser: Unit
    proposed: int
    recognised: int
    computed: int
    completed: int


def schools_for_recognition(*, scope: Scope, school_year: SchoolYear) -> list[SchoolWaiting]:
    """The schools with results of the year whose recogniser the viewer holds RESULTS_RECOGNISE over,
    with their counts, those waiting (proposed) first. Four queries whatever the number of schools."""
    rows = (
        YearResult.objects.visible_to(scope, Perm.RESULTS_RECOGNISE)
        .filter(school_year=school_year)
        .order_by()
        .values("unit_id")
        .annotate(
            proposed=Count("pk", filter=Q(status=ResultStatus.PROPOSED)),
            recognised=Count("pk", filter=Q(status=ResultStatus.RECOGNISED)),
            computed=Count("pk", filter=Q(status=ResultStatus.COMPUTED)),
            completed=Count("pk", filter=Q(completed=True)),
        )
    )
    counts = {r["unit_id"]: r for r in rows}
    if not counts:
        return []
    recognisers = recognisers_of(school_ids=counts, school_year=school_year)
    schools = {u.pk: u for u in Unit.objects.filter(pk__in=list(counts))}
    out = [
        SchoolWaiting(
            school=schools[pk],
            recogniser=recognisers[pk],
            proposed=c["proposed"],
            recognised=c["recognised"],
            computed=c["computed"],
            completed=c["completed"],
        )
        for pk, c in counts.items()
        if pk in recognisers and may_recognise(scope, recognisers[pk])
    ]
    out.sort(key=lambda s: (s.proposed == 0, vn_text_key(s.school.name)))
    return out


# --- one result ----------------------------------------------------------------------------------------


def result_get(*, scope: Scope, uuid: Any) -> YearResult:
    """A result the viewer sees (the person themself too), or YearResult.DoesNotExist (→ 404)."""
    return (
        YearResult.objects.visible_to(scope)
        .select_related("person", "unit", "school_year", "regime", "recognised_unit", "recognised_by", "proposed_by")
        .get(uuid=uuid)
    )


def result_history(*, result: YearResult) -> QuerySet[AuditLog]:
    """The audit entries of the result itself (its corrections), newest first."""
    return AuditLog.objects.filter(object_uuid=result.uuid).select_related("actor")
