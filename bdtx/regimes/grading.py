"""The year result of a person by the grading data of their regime (pure: no database writes).

TT 19/2019 (as amended by TT 17/2022): pass/fail at the regime's pass mark; TT 26/2012: an average
of components with thresholds (Giỏi, Khá, Trung bình). The numbers live in the `Regime` row, never here.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bdtx.regimes.models import Regime

TEN = Decimal(10)
ZERO = Decimal(0)
AGGREGATES = ("single", "mean")
MINIMUM_OVER = ("each_score", "components")

ScoreValue = Decimal | int | float | str
Scores = Mapping[str, ScoreValue | Sequence[ScoreValue] | None]


# --- the year result ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    """A year result: the category of the regime, whether it counts as completing the plan, the average."""

    category: str
    label: str
    completed: bool
    average: Decimal | None = None


def _score(value: ScoreValue) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("“%(v)s” is not a score.") % {"v": value}) from None
    if not d.is_finite() or not ZERO <= d <= TEN:
        raise ValidationError(_("A score is between 0 and 10, not %(v)s.") % {"v": value})
    return d


def _scores(value: ScoreValue | Sequence[ScoreValue] | None) -> list[Decimal]:
    if value is None or value == "":
        return []
    if isinstance(value, str | int | float | Decimal):
        return [_score(value)]
    return [_score(v) for v in value if v is not None and v != ""]


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def _category(regime: Regime, code: str) -> Grade:
    for c in regime.result_categories:
        if c.get("code") == code:
            return Grade(category=code, label=c.get("label", code), completed=bool(c.get("completed")))
    raise ValidationError(_("The regime has no result category “%(c)s”.") % {"c": code})


def _pass_fail_codes(regime: Regime) -> tuple[str, str]:
    grading = regime.grading or {}
    cats = regime.result_categories or []
    passed = grading.get("pass_category") or next((c["code"] for c in cats if c.get("completed")), "")
    failed = grading.get("fail_category") or next((c["code"] for c in cats if not c.get("completed")), "")
    return passed, failed


def grade_compute(*, regime: Regime, scores: Scores, complete: bool = True) -> Grade:
    """The year result of one person under `regime`, from their scores (each on the 10-point scale).

    Driven by the regime's data. Without grading thresholds (TT 19/2019) the result is pass/fail:
    completed when the plan was carried out in full (`complete`) and every score reaches the pass
    mark. With thresholds (TT 26/2012) `scores` holds one entry per component of the grading data
    (`{"nd1": 8, "nd2": 7.5, "nd3": [9, 8.5]}`: a "mean" component takes every module's score); the
    average of the components, rounded as the data says, and the lowest score decide the category,
    highest first. A missing component or an incomplete plan gives the "otherwise" category.
    """
    grading = regime.grading or {}
    thresholds = grading.get("thresholds") or []
    if not thresholds:
        passed, failed = _pass_fail_codes(regime)
        all_scores = [s for value in scores.values() for s in _scores(value)]
        ok = complete and bool(all_scores) and min(all_scores) >= regime.pass_mark
        return _category(regime, passed if ok else failed)

    component_values: list[Decimal] = []
    every: list[Decimal] = []
    missing = False
    for comp in grading.get("components", []):
        values = _scores(scores.get(comp["code"]))
        if not values or (comp.get("aggregate", "single") == "single" and len(values) != 1):
            missing = True
            continue
        every += values
        component_values.append(_mean(values))
    if missing or not component_values:
        return _category(regime, grading["otherwise"])
    average = _mean(component_values)
    decimals = grading.get("average_decimals")
    if decimals is not None:
        average = average.quantize(Decimal(1).scaleb(-int(decimals)), rounding=ROUND_HALF_UP)
    lowest = min(every) if grading.get("minimum_over", "each_score") == "each_score" else min(component_values)
    code = grading["otherwise"]
    if complete:
        for t in thresholds:
            if average >= Decimal(str(t["min_average"])) and lowest >= Decimal(str(t["min_score"])):
                code = t["category"]
                break
    grade = _category(regime, code)
    return Grade(category=grade.category, label=grade.label, completed=grade.completed, average=average)
