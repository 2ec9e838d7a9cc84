"""The overall rating of an assessment, computed from the framework's `RatingRule` rows only.

Each rule says what one overall rating needs (Khoản 2 Điều 10 of each circular): every criterion
at least some level, at least a share (numerator/denominator, compared in integers) at some
level, and every key criterion at least some level. Rules are tried from the highest rating down;
the first that holds gives the rating. Nothing about a particular circular is written here.

Shares are counted over every criterion of the circular (`Framework.criteria_count`), not over
the criteria recorded here: while some are missing, the rating is computed on those recorded and
marked provisional, with the numbers of the criteria it could not count.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypedDict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bdtx.standards.models import Criterion, Framework, Level, RatingRule

MISSING_LISTED = 5  # beyond this many criteria not rated, the reason gives a count instead of a list


@dataclass(frozen=True)
class RatingOutcome:
    """The computed rating (None when it cannot be computed), why, and what the next rating lacks.

    `unrecorded` lists the criteria of the circular that are not recorded here: they could not be
    rated, so a rating computed without them is provisional (`provisional_reason` says why).
    """

    level: Level | None
    reason: str
    rule: RatingRule | None = None
    missing: tuple[int, ...] = ()  # numbers of the criteria not rated yet
    next_level: Level | None = None
    shortfalls: tuple[str, ...] = field(default_factory=tuple)  # what the next rating up would need
    total: int = 0  # criteria of the circular: what shares are counted over
    unrecorded: tuple[int, ...] = ()  # criteria of the circular not recorded here
    provisional_reason: str = ""

    @property
    def computable(self) -> bool:
        return self.level is not None

    @property
    def provisional(self) -> bool:
        """A rating was computed, but without every criterion of the circular."""
        return self.level is not None and bool(self.unrecorded)


def criteria_total(framework: Framework, recorded: int) -> int:
    """How many criteria the circular has: `criteria_count`, never fewer than those recorded; the
    criteria recorded when the count is not given."""
    return max(framework.criteria_count or 0, recorded)


def numbers_left_out(total: int, numbers: Iterable[int]) -> tuple[int, ...]:
    """The criterion numbers 1…`total` not among `numbers` (criteria are numbered 1 to N)."""
    known = set(numbers)
    if len(known) >= total:
        return ()
    return tuple(n for n in range(1, total + 1) if n not in known)


def unrecorded_reason(framework: Framework, unrecorded: tuple[int, ...], total: int) -> str:
    """Why a rating computed while criteria are not recorded is provisional (empty when none)."""
    if not unrecorded:
        return ""
    return ngettext(
        "Provisional rating: criterion %(list)s of %(circular)s is not recorded here yet, so it could "
        "not be rated. Shares such as 2/3 are counted over all %(total)d criteria of the circular; the "
        "rating may change once the missing criterion is added from the circular's text.",
        "Provisional rating: criteria %(list)s of %(circular)s are not recorded here yet, so they could "
        "not be rated. Shares such as 2/3 are counted over all %(total)d criteria of the circular; the "
        "rating may change once the missing criteria are added from the circular's text.",
        len(unrecorded),
    ) % {"list": ", ".join(map(str, unrecorded)), "circular": framework.circular, "total": total}


def result_gaps_reason(framework: Framework, gaps: tuple[int, ...]) -> str:
    """Why a recorded rating is provisional: the criteria of the circular it did not count."""
    if not gaps:
        return ""
    return ngettext(
        "Provisional rating: it does not count criterion %(list)s of %(circular)s (not recorded here "
        "when the rating was computed, or not rated yet).",
        "Provisional rating: it does not count criteria %(list)s of %(circular)s (not recorded here "
        "when the rating was computed, or not rated yet).",
        len(gaps),
    ) % {"list": ", ".join(map(str, gaps)), "circular": framework.circular}


class _Gaps(TypedDict):
    total: int
    unrecorded: tuple[int, ...]
    provisional_reason: str


def framework_rules(framework: Framework) -> list[RatingRule]:
    """The framework's rules, highest rating first (uses a prefetch when there is one)."""
    return sorted(framework.rules.all(), key=lambda r: -r.result)


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(Criterion.objects.filter(standard__framework=framework).order_by("number"))


def _label(level: int) -> str:
    return str(Level(level).label)


def rule_conditions(rule: RatingRule) -> list[str]:
    """What a rule needs, in words (for the pages that show the rules)."""
    out = []
    if rule.min_all > Level.NOT_MET:
        out.append(_("every criterion at least %(level)s") % {"level": _label(rule.min_all)})
    if rule.share_level is not None and rule.share_numerator:
        out.append(
            _("at least %(num)d/%(den)d of the criteria at %(level)s or better")
            % {"num": rule.share_numerator, "den": rule.share_denominator, "level": _label(rule.share_level)}
        )
    if rule.key_min is not None:
        out.append(_("every key criterion at least %(level)s") % {"level": _label(rule.key_min)})
    return out


def _failures(rule: RatingRule, criteria: list[Criterion], levels: Mapping[int, int], total: int) -> list[str]:
    """Each condition of `rule` that these levels do not meet, in words (empty: the rule holds).

    Shares are counted over `total`, the criteria of the circular: one not recorded here counts as
    not reaching the level."""
    out: list[str] = []
    below = [c for c in criteria if levels[c.pk] < rule.min_all]
    if below:
        out.append(
            ngettext(
                "every criterion at least %(level)s: criterion %(list)s is below",
                "every criterion at least %(level)s: criteria %(list)s are below",
                len(below),
            )
            % {"level": _label(rule.min_all), "list": ", ".join(str(c.number) for c in below)}
        )
    if rule.share_level is not None and rule.share_numerator:
        reached = sum(1 for c in criteria if levels[c.pk] >= rule.share_level)
        # count / total >= numerator / denominator, without floats
        if reached * rule.share_denominator < rule.share_numerator * total:
            needed = -(-rule.share_numerator * total // rule.share_denominator)  # ceiling
            out.append(
                _(
                    "at least %(num)d/%(den)d of the criteria at %(level)s or better: "
                    "%(reached)d of %(total)d (%(needed)d needed)"
                )
                % {
                    "num": rule.share_numerator,
                    "den": rule.share_denominator,
                    "level": _label(rule.share_level),
                    "reached": reached,
                    "total": total,
                    "needed": needed,
                }
            )
    if rule.key_min is not None:
        short = [c for c in criteria if c.is_key and levels[c.pk] < rule.key_min]
        if short:
            out.append(
                ngettext(
                    "every key criterion at least %(level)s: key criterion %(list)s is below",
                    "every key criterion at least %(level)s: key criteria %(list)s are below",
                    len(short),
                )
                % {"level": _label(rule.key_min), "list": ", ".join(str(c.number) for c in short)}
            )
    return out


def rating_explain(
    *,
    framework: Framework,
    levels: Mapping[int, int | None],
    criteria: list[Criterion] | None = None,
    rules: list[RatingRule] | None = None,
) -> RatingOutcome:
    """The overall rating of `levels` ({criterion id: level}) under the framework's rules.

    Every criterion recorded (`criteria`, by default all of the framework's) must be rated;
    otherwise the rating cannot be computed and the outcome says which are missing. Criteria of
    the circular that are not among them make the rating provisional. Levels of criteria of other
    frameworks are a caller error.
    """
    criteria = framework_criteria(framework) if criteria is None else criteria
    rules = framework_rules(framework) if rules is None else sorted(rules, key=lambda r: -r.result)
    ids = {c.pk for c in criteria}
    foreign = {cid for cid, lvl in levels.items() if lvl is not None} - ids
    if foreign:
        raise ValueError(f"criteria {sorted(foreign)} are not criteria of {framework.code}")
    if not criteria:
        return RatingOutcome(None, _("This standard has no criteria yet."))
    total = criteria_total(framework, len(criteria))
    unrecorded = numbers_left_out(total, (c.number for c in criteria))
    gaps = _Gaps(total=total, unrecorded=unrecorded, provisional_reason=unrecorded_reason(framework, unrecorded, total))
    missing = tuple(c.number for c in criteria if levels.get(c.pk) is None)
    if missing:
        if len(missing) > MISSING_LISTED:
            reason = _("Not computed yet: %(n)d of the %(total)d criteria are not rated.") % {
                "n": len(missing),
                "total": len(criteria),
            }
        else:
            reason = ngettext(
                "Not computed yet: criterion %(list)s is not rated.",
                "Not computed yet: criteria %(list)s are not rated.",
                len(missing),
            ) % {"list": ", ".join(map(str, missing))}
        return RatingOutcome(None, reason, missing=missing, **gaps)
    if not rules:
        return RatingOutcome(None, _("No rating rule is recorded for this standard."), **gaps)
    rated: dict[int, int] = {cid: int(lvl) for cid, lvl in levels.items() if lvl is not None}
    previous: RatingRule | None = None
    for rule in rules:
        if not _failures(rule, criteria, rated, total):
            shortfalls = tuple(_failures(previous, criteria, rated, total)) if previous else ()
            return RatingOutcome(
                Level(rule.result),
                _("Rated %(level)s by the rule of %(circular)s.")
                % {"level": _label(rule.result), "circular": framework.circular},
                rule=rule,
                next_level=Level(previous.result) if previous else None,
                shortfalls=shortfalls,
                **gaps,
            )
        previous = rule
    lowest = rules[-1]
    return RatingOutcome(
        Level.NOT_MET,
        _("No rating rule holds: %(level)s.") % {"level": _label(Level.NOT_MET)},
        next_level=Level(lowest.result) if lowest.result != Level.NOT_MET else None,
        shortfalls=tuple(_failures(lowest, criteria, rated, total)) if lowest.result != Level.NOT_MET else (),
        **gaps,
    )


def rating_compute(*, framework: Framework, levels: Mapping[int, int | None]) -> Level | None:
    """The overall rating of {criterion id: level} by the framework's RatingRule rows, or None when it
    cannot be computed (a criterion not rated, no rules); `rating_explain` says why."""
    return rating_explain(framework=framework, levels=levels).level
