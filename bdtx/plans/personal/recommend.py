"""Needs → modules: which programme 03 modules to propose to a person, and why.

From the person's weak criteria (their latest assessment against the standard), their audience and
school level, the modules in force that year, and the focus modules their province chose:

1. modules the person already completed in an earlier year (or already chose) are skipped;
2. the province's focus modules come first, in the province's order;
3. then the modules serving the person's weakest criteria (Chưa đạt before Đạt, then by number);
4. a proposal is marked among them that fills programme 03's periods exactly: the earliest modules
   in that order whose periods add up to exactly what is left (a module is taken only if the rest
   can still be filled by the ones after it); when no set adds up exactly, the modules that fit in
   order, and the proposal says it falls short.

A module counts the periods the ministry's catalog gives it, else those the person's province gives
it for the year (`catalog.selectors.effective_hours`). A module with neither cannot count toward
programme 03, so it is not recommended: it is set aside (`Recommendations.without_hours`) and the
page says how many were left out and that the Sở can give them periods for the province.

Each recommendation says why it is proposed, in words the page shows as they are.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.people.models import Person
from bdtx.plans.personal import selectors
from bdtx.regimes.models import Regime
from bdtx.standards.models import Criterion, CriterionRating, Level
from bdtx.standards.selectors import latest_assessment, weak_criteria


@dataclass
class Recommendation:
    module: Module
    reason: str
    is_focus: bool
    criteria: list[Criterion] = field(default_factory=list)  # the person's weak criteria it serves
    in_proposal: bool = False  # part of the set that fills programme 03's periods
    hours_known: bool = True
    fits: bool = False  # can be added without going over programme 03's periods


@dataclass
class Recommendations:
    """The recommended modules, best first, and what the proposal among them adds up to."""

    items: list[Recommendation] = field(default_factory=list)
    target: int = 0  # programme 03 periods still to fill (the regime's, less the modules already chosen)
    planned: int = 0  # periods of the modules in the proposal
    # Modules the person's needs or province would have brought, left out for having no periods
    # (neither the ministry's nor the province's): they cannot count, so they are not recommended.
    without_hours: list[Recommendation] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """The proposal fills the periods left exactly."""
        return self.planned == self.target

    @property
    def proposed(self) -> list[Recommendation]:
        return [r for r in self.items if r.in_proposal]

    @property
    def others(self) -> list[Recommendation]:
        return [r for r in self.items if not r.in_proposal]

    def __iter__(self) -> Iterator[Recommendation]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, i: int) -> Recommendation:
        return self.items[i]


def exact_fill(hours: list[int], target: int) -> list[bool]:
    """Which of `hours` (in order of preference) to take so they add up to exactly `target`: the
    earliest ones that still leave a sum the later ones can complete. All False when none can."""
    reach: list[set[int]] = [set() for _ in range(len(hours) + 1)]
    reach[len(hours)] = {0}
    for i in range(len(hours) - 1, -1, -1):
        reach[i] = reach[i + 1] | {s + hours[i] for s in reach[i + 1] if s + hours[i] <= target}
    if target not in reach[0]:
        return [False] * len(hours)
    take, rest = [], target
    for i, h in enumerate(hours):
        ok = 0 < h <= rest and (rest - h) in reach[i + 1]
        take.append(ok)
        rest -= h if ok else 0
    return take


def _levels(person: Person, school_year: SchoolYear, criteria: list[Criterion]) -> dict[int, int]:
    """Level each weak criterion was rated at (the principal's level wins over the person's own)."""
    assessment = latest_assessment(person=person, school_year=school_year)
    if assessment is None or not criteria:
        return {}
    ratings = CriterionRating.objects.filter(assessment=assessment, criterion__in=criteria)
    return {r.criterion_id: level for r in ratings if (level := r.principal_level or r.self_level)}


def _reason(is_focus: bool, focus_unit: str, served: list[Criterion], levels: dict[int, int], hours_known: bool) -> str:
    parts = []
    if is_focus:
        parts.append(_("Focus module of %(unit)s this year") % {"unit": focus_unit})
    for c in served:
        level = levels.get(c.pk)
        parts.append(
            _("serves criterion %(n)s (rated %(level)s)") % {"n": c.number, "level": Level(level).label}
            if level
            else _("serves criterion %(n)s") % {"n": c.number}
        )
    if not hours_known:
        parts.append(_("its periods are not in the catalog yet, so it cannot count toward the required periods"))
    text = "; ".join(str(p) for p in parts)
    return text[:1].upper() + text[1:]


def recommend_modules(*, person: Person, school_year: SchoolYear, chosen: Iterable[Module] = ()) -> Recommendations:
    """Modules to propose to `person` for programme 03 of `school_year`, best first, with reasons.

    `chosen`: modules already in the person's plan; they are left out and the proposal fills only
    the periods they leave. Empty when the person is on no staff list that year. See the module
    docstring for the rules.
    """
    emp = selectors.employment_for(person=person, school_year=school_year)
    if emp is None:
        return Recommendations()
    try:
        target = selectors.required_hours(unit=emp.unit, school_year=school_year).bd03
    except Regime.DoesNotExist:
        target = 0
    offered = {m.pk: m for m in selectors.modules_offered(employment=emp, school_year=school_year)}
    chosen = list(chosen)
    target -= sum(selectors.modules_hours(modules=chosen, unit=emp.unit, school_year=school_year).values())
    done = selectors.modules_done_before(person=person, school_year=school_year) | {m.pk for m in chosen}
    weak = weak_criteria(person=person, school_year=school_year)
    rank = {c.pk: i for i, c in enumerate(weak)}
    levels = _levels(person, school_year, weak)

    ordered: list[tuple[Module, bool, str]] = []
    seen: set[int] = set()
    focus, province = selectors.focus_modules(
        unit=emp.unit, school_year=school_year, audience=selectors.audience_of(emp), school_level=emp.school_level
    )
    for fm in focus:
        m = offered.get(fm.pk)
        if m is not None and m.pk not in done and m.pk not in seen:
            ordered.append((m, True, province.name if province else ""))
            seen.add(m.pk)
    serving = [
        (min(rank[c.pk] for c in m.criteria.all() if c.pk in rank), m)
        for m in offered.values()
        if m.pk not in done and m.pk not in seen and any(c.pk in rank for c in m.criteria.all())
    ]
    for _rank, m in sorted(serving, key=lambda t: (t[0], t[1].catalog.code, t[1].code)):
        ordered.append((m, False, ""))

    out: list[Recommendation] = []
    without_hours: list[Recommendation] = []
    for m, is_focus, focus_unit in ordered:
        served = sorted((c for c in m.criteria.all() if c.pk in rank), key=lambda c: rank[c.pk])
        hours_known = m.effective_hours is not None
        rec = Recommendation(
            module=m,
            reason=_reason(is_focus, focus_unit, served, levels, hours_known),
            is_focus=is_focus,
            criteria=served,
            hours_known=hours_known,
        )
        (out if hours_known else without_hours).append(rec)
    countable = [r for r in out if r.module.effective_hours]
    take = exact_fill([r.module.effective_hours or 0 for r in countable], max(target, 0))
    if not any(take):  # nothing adds up exactly: the modules that fit, in order (the page says it falls short)
        room = max(target, 0)
        take = []
        for r in countable:
            fits = (r.module.effective_hours or 0) <= room
            take.append(fits)
            room -= (r.module.effective_hours or 0) if fits else 0
    for r, t in zip(countable, take, strict=True):
        r.in_proposal = t
        r.fits = 0 < (r.module.effective_hours or 0) <= max(target, 0)
    planned = sum(r.module.effective_hours or 0 for r in countable if r.in_proposal)
    return Recommendations(items=out, target=max(target, 0), planned=planned, without_hours=without_hours)
