"""The overall rating of an assessment, computed from the framework's `RatingRule` rows only.

Each rule says what one overall rating needs (Khoản 2 Điều 10 of each circular): every criterion
at least some level, at least a share (numerator/denominator, compared in integers) at some
level, and every key criterion at least some level. Rules are tried from the highest rating down;
the first that holds gives the rating. Nothing about a particular circular is written here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bdtx.standards.models import Criterion, Framework, Level, RatingRule

MISSING_LISTED = 5  # beyond this many criteria not rated, the reason gives a count instead of a list


@dataclass(frozen=True)
class RatingOutcome:
    """The computed rating (None when it cannot be computed), why, and what the next rating lacks."""

    level: Level | None
    reason: str
    rule: RatingRule | None = None
    missing: tuple[int, ...] = ()  # numbers of the criteria not rated yet
    next_level: Level | None = None
    shortfalls: tuple[str, ...] = field(default_factory=tuple)  # what the next rating up would need

    @property
    def computable(self) -> bool:
        return self.level is not None


def framework_rules(framework: Framework) -> list[RatingRule]:
    """The framework's rules, highest rating first (uses a prefetch when there is one)."""
    return sorted(framework.rules.all(), key=lambda r: -r.result)


def framework_criteria(framework: Framework) -> list[Criterion]:
    return list(Criterion.objects.filter(standard__framework=framework).order_by("number"))


def _label(level: int) -> str:
    return str(Level(level).label)


def _failures(rule: RatingRule, criteria: list[Criterion], levels: Mapping[int, int]) -> list[str]:
    """Each condition of `rule` that these levels do not meet, in words (empty: the rule holds)."""
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
        total = len(criteria)
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

    Every criterion of the framework must be rated; otherwise the rating cannot be computed and
    the outcome says which are missing. Levels of criteria of other frameworks are a caller error.
    """
    criteria = framework_criteria(framework) if criteria is None else criteria
    rules = framework_rules(framework) if rules is None else sorted(rules, key=lambda r: -r.result)
    ids = {c.pk for c in criteria}
    foreign = {cid for cid, lvl in levels.items() if lvl is not None} - ids
    if foreign:
        raise ValueError(f"criteria {sorted(foreign)} are not criteria of {framework.code}")
    if not criteria:
        return RatingOutcome(None, _("This standard has no criteria yet."))
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
        return RatingOutcome(None, reason, missing=missing)
    if not rules:
        return RatingOutcome(None, _("No rating rule is recorded for this standard."))
    rated: dict[int, int] = {cid: int(lvl) for cid, lvl in levels.items() if lvl is not None}
    previous: RatingRule | None = None
    for rule in rules:
        if not _failures(rule, criteria, rated):
            shortfalls = tuple(_failures(previous, criteria, rated)) if previous else ()
            return RatingOutcome(
                Level(rule.result),
                _("Rated %(level)s by the rule of %(circular)s.")
                % {"level": _label(rule.result), "circular": framework.circular},
                rule=rule,
                next_level=Level(previous.result) if previous else None,
                shortfalls=shortfalls,
            )
        previous = rule
    lowest = rules[-1]
    return RatingOutcome(
        Level.NOT_MET,
        _("No rating rule holds: %(level)s.") % {"level": _label(Level.NOT_MET)},
        next_level=Level(lowest.result) if lowest.result != Level.NOT_MET else None,
        shortfalls=tuple(_failures(lowest, criteria, rated)) if lowest.result != Level.NOT_MET else (),
    )


def rating_compute(*, framework: Framework, levels: Mapping[int, int | None]) -> Level | None:
    """The overall rating of {criterion id: level} by the framework's RatingRule rows, or None when it
    cannot be computed (a criterion not rated, no rules); `rating_explain` says why."""
    return rating_explain(framework=framework, levels=levels).level
