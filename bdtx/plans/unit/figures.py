"""A unit plan's compiled figures as typed values, and the JSON they are stored as.

A school's figures are counted from its approved personal plans (`unit_selectors`); an office's,
a province's or the ministry's are the sum of its children's approved plans: `Figures` add up
with `+`, each field by its own rule. A compiled plan keeps them in `UnitPlan.totals`
(`UnitPlan.figures` reads and writes them through `to_json` / `from_json`).

The stored shape is version 1, unchanged since the first compiled plans:

    {"version": 1, "source": "personal_plans" | "children", "year": 2026,
     "schools": 1, "staff": {"total", "GV", "CBQL"}, "planned": {"total", "GV", "CBQL"},
     "programmes": {"BD01": {"people", "items", "periods"}, …},
     "lines": {"m:<module uuid>" | "c:<content uuid>" | "t:<programme>:<title>": {"programme", "kind",
               "code", "catalog", "title", "hours", "people", "periods", "female", "minority",
               "difficult", "from", "to", "forms": {<form>: people}}, …},
     "forms": {<form>: {"people", "items", "periods"}, …}, "months": {"YYYY-MM": {"people", "items"}, …},
     "unscheduled": 3,
     "units": {"total", "draft", "submitted", "returned", "approved", "missing"},   (children only)
     "pending": {the same figures from "schools" to "unscheduled"}}                 (children only)

Reading is tolerant: a key missing from an old or hand-made row reads as zero or empty.

This module knows no model (`UnitPlan` imports it): plan statuses and forms are the plain codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, Self

type JSON = int | str | list[JSON] | dict[str, JSON] | None

FIGURES_VERSION = 1

FROM_PERSONAL_PLANS = "personal_plans"  # a school's plan
FROM_CHILDREN = "children"  # a level with units below

MODULE = "module"  # kinds of plan lines: a programme 03 module, or a programme's content
CONTENT = "content"


def _object(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


class _Addable(Protocol):
    def __add__(self, other: Self, /) -> Self: ...


def _merge[V: _Addable](a: Mapping[str, V], b: Mapping[str, V]) -> dict[str, V]:
    """The keys of both, in the order first seen; the values of a key in both added."""
    out = dict(a)
    for key, value in b.items():
        out[key] = out[key] + value if key in out else value
    return out


def _earliest(a: str, b: str) -> str:
    """The earlier of two 'YYYY-MM' months, ignoring an empty one."""
    return min(filter(None, (a, b)), default="")


def _latest(a: str, b: str) -> str:
    return max(filter(None, (a, b)), default="")


@dataclass(frozen=True)
class Headcount:
    """People: all of them, the teachers (GV) and the managers (CBQL)."""

    total: int = 0
    teachers: int = 0
    managers: int = 0

    def __add__(self, other: Headcount) -> Headcount:
        return Headcount(self.total + other.total, self.teachers + other.teachers, self.managers + other.managers)

    def to_json(self) -> dict[str, JSON]:
        return {"total": self.total, "GV": self.teachers, "CBQL": self.managers}

    @classmethod
    def from_json(cls, data: object) -> Headcount:
        d = _object(data)
        return cls(total=_int(d.get("total")), teachers=_int(d.get("GV")), managers=_int(d.get("CBQL")))


@dataclass(frozen=True)
class Tally:
    """Plan items of a programme or a form: the people taking them, the items, their periods."""

    people: int = 0
    items: int = 0
    periods: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.people + other.people, self.items + other.items, self.periods + other.periods)

    def to_json(self) -> dict[str, JSON]:
        return {"people": self.people, "items": self.items, "periods": self.periods}

    @classmethod
    def from_json(cls, data: object) -> Tally:
        d = _object(data)
        return cls(people=_int(d.get("people")), items=_int(d.get("items")), periods=_int(d.get("periods")))


@dataclass(frozen=True)
class MonthTally:
    """One month of the school year: the people studying then, and the items they study."""

    people: int = 0
    items: int = 0

    def __add__(self, other: MonthTally) -> MonthTally:
        return MonthTally(self.people + other.people, self.items + other.items)

    def to_json(self) -> dict[str, JSON]:
        return {"people": self.people, "items": self.items}

    @classmethod
    def from_json(cls, data: object) -> MonthTally:
        d = _object(data)
        return cls(people=_int(d.get("people")), items=_int(d.get("items")))


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan: a module, or a programme's content, with who takes it, how and when."""

    programme: str = ""
    kind: str = ""  # MODULE or CONTENT
    code: str = ""  # the module's code
    catalog: str = ""  # the code of the module's catalog
    title: str = ""
    hours: int = 0  # periods per person (the largest, where plans differ)
    people: int = 0
    periods: int = 0  # in all
    female: int = 0
    minority: int = 0  # people of an ethnic minority
    difficult: int = 0  # people working in a difficult area
    first_month: str = ""  # 'YYYY-MM' of the earliest planned month ("from"); empty when none is planned
    last_month: str = ""  # 'YYYY-MM' of the latest ("to")
    forms: Mapping[str, int] = field(default_factory=dict)  # form → people

    def __add__(self, other: PlanLine) -> PlanLine:
        """The same line counted twice: numbers add, the months span both, the periods per person
        are the larger, texts keep the first one that is not empty."""
        return PlanLine(
            programme=self.programme or other.programme,
            kind=self.kind or other.kind,
            code=self.code or other.code,
            catalog=self.catalog or other.catalog,
            title=self.title or other.title,
            hours=max(self.hours, other.hours),
            people=self.people + other.people,
            periods=self.periods + other.periods,
            female=self.female + other.female,
            minority=self.minority + other.minority,
            difficult=self.difficult + other.difficult,
            first_month=_earliest(self.first_month, other.first_month),
            last_month=_latest(self.last_month, other.last_month),
            forms=_merge(self.forms, other.forms),
        )

    def to_json(self) -> dict[str, JSON]:
        return {
            "programme": self.programme,
            "kind": self.kind,
            "code": self.code,
            "catalog": self.catalog,
            "title": self.title,
            "hours": self.hours,
            "people": self.people,
            "periods": self.periods,
            "female": self.female,
            "minority": self.minority,
            "difficult": self.difficult,
            "from": self.first_month,
            "to": self.last_month,
            "forms": dict(self.forms),
        }

    @classmethod
    def from_json(cls, data: object) -> PlanLine:
        d = _object(data)
        return cls(
            programme=_str(d.get("programme")),
            kind=_str(d.get("kind")),
            code=_str(d.get("code")),
            catalog=_str(d.get("catalog")),
            title=_str(d.get("title")),
            hours=_int(d.get("hours")),
            people=_int(d.get("people")),
            periods=_int(d.get("periods")),
            female=_int(d.get("female")),
            minority=_int(d.get("minority")),
            difficult=_int(d.get("difficult")),
            first_month=_str(d.get("from")),
            last_month=_str(d.get("to")),
            forms={str(k): _int(v) for k, v in _object(d.get("forms")).items()},
        )


@dataclass(frozen=True)
class UnitCounts:
    """The units below by the status of their plan of the year; `missing`: no plan yet."""

    total: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    missing: int = 0

    @classmethod
    def of(cls, *, total: int, by_status: Mapping[str, int]) -> UnitCounts:
        """From the number of units and their plans per status (the units without one are missing)."""
        return cls(
            total=total,
            draft=by_status.get("draft", 0),
            submitted=by_status.get("submitted", 0),
            returned=by_status.get("returned", 0),
            approved=by_status.get("approved", 0),
            missing=total - sum(by_status.values()),
        )

    def by_status(self) -> dict[str, int]:
        """Status code ('missing' included) → units."""
        return {
            "draft": self.draft,
            "submitted": self.submitted,
            "returned": self.returned,
            "approved": self.approved,
            "missing": self.missing,
        }

    def to_json(self) -> dict[str, JSON]:
        return {"total": self.total, **self.by_status()}

    @classmethod
    def from_json(cls, data: object) -> UnitCounts:
        d = _object(data)
        return cls(
            total=_int(d.get("total")),
            draft=_int(d.get("draft")),
            submitted=_int(d.get("submitted")),
            returned=_int(d.get("returned")),
            approved=_int(d.get("approved")),
            missing=_int(d.get("missing")),
        )


@dataclass(frozen=True)
class Figures:
    """The figures that add up the tree: schools, people in scope and with an approved plan,
    items per programme, per line, per form and per month."""

    schools: int = 0
    staff: Headcount = field(default_factory=Headcount)  # people in scope (working or on leave)
    planned: Headcount = field(default_factory=Headcount)  # with an approved personal plan
    programmes: Mapping[str, Tally] = field(default_factory=dict)  # programme code → items
    lines: Mapping[str, PlanLine] = field(default_factory=dict)  # 'm:<uuid>', 'c:<uuid>', 't:<programme>:<title>'
    forms: Mapping[str, Tally] = field(default_factory=dict)  # form → items
    months: Mapping[str, MonthTally] = field(default_factory=dict)  # 'YYYY-MM' → studying, in the year's order
    unscheduled: int = 0  # items without planned months

    @classmethod
    def empty(cls, months: Iterable[str]) -> Figures:
        """Nothing counted yet, with every month of the school year (so the sum lists them all)."""
        return cls(months={m: MonthTally() for m in months})

    def __add__(self, other: Figures) -> Figures:
        """Two units' figures together: every count adds up; lines, programmes, forms and months
        present in either are kept (a line in both adds up by `PlanLine`'s rules). Only the figures
        add: what describes one plan (its source, its units below, its pending figures) does not."""
        return Figures(
            schools=self.schools + other.schools,
            staff=self.staff + other.staff,
            planned=self.planned + other.planned,
            programmes=_merge(self.programmes, other.programmes),
            lines=_merge(self.lines, other.lines),
            forms=_merge(self.forms, other.forms),
            months=_merge(self.months, other.months),
            unscheduled=self.unscheduled + other.unscheduled,
        )

    @property
    def core(self) -> Figures:
        """The figures alone (of a `UnitPlanFigures`, without what describes the plan)."""
        return Figures(
            schools=self.schools,
            staff=self.staff,
            planned=self.planned,
            programmes=self.programmes,
            lines=self.lines,
            forms=self.forms,
            months=self.months,
            unscheduled=self.unscheduled,
        )

    def to_json(self) -> dict[str, JSON]:
        return {
            "schools": self.schools,
            "staff": self.staff.to_json(),
            "planned": self.planned.to_json(),
            "programmes": {k: v.to_json() for k, v in self.programmes.items()},
            "lines": {k: v.to_json() for k, v in self.lines.items()},
            "forms": {k: v.to_json() for k, v in self.forms.items()},
            "months": {k: v.to_json() for k, v in self.months.items()},
            "unscheduled": self.unscheduled,
        }

    @classmethod
    def from_json(cls, data: object) -> Figures:
        d = _object(data)
        return cls(
            schools=_int(d.get("schools")),
            staff=Headcount.from_json(d.get("staff")),
            planned=Headcount.from_json(d.get("planned")),
            programmes={str(k): Tally.from_json(v) for k, v in _object(d.get("programmes")).items()},
            lines={str(k): PlanLine.from_json(v) for k, v in _object(d.get("lines")).items()},
            forms={str(k): Tally.from_json(v) for k, v in _object(d.get("forms")).items()},
            months={str(k): MonthTally.from_json(v) for k, v in _object(d.get("months")).items()},
            unscheduled=_int(d.get("unscheduled")),
        )


@dataclass(frozen=True)
class UnitPlanFigures(Figures):
    """A unit plan's compiled figures, as stored: the figures, where they come from and the school
    year, and for a level with units below, their plans by status and the figures of the plans
    submitted there but not approved yet (`pending`, not counted in the figures)."""

    source: str = ""  # FROM_PERSONAL_PLANS or FROM_CHILDREN; empty for a plan never compiled
    year: int | None = None  # the school year as stored: its start year (SchoolYear.pk)
    units: UnitCounts | None = None
    pending: Figures | None = None
    version: int = FIGURES_VERSION

    @classmethod
    def of(
        cls,
        figures: Figures,
        *,
        source: str,
        year: int | None,
        units: UnitCounts | None = None,
        pending: Figures | None = None,
        version: int = FIGURES_VERSION,
    ) -> UnitPlanFigures:
        return cls(
            schools=figures.schools,
            staff=figures.staff,
            planned=figures.planned,
            programmes=figures.programmes,
            lines=figures.lines,
            forms=figures.forms,
            months=figures.months,
            unscheduled=figures.unscheduled,
            source=source,
            year=year,
            units=units,
            pending=pending,
            version=version,
        )

    @property
    def coverage(self) -> tuple[int, int]:
        """(done, of): for a level with units below, the units whose plan is approved and the units
        below; for a school, the people with an approved personal plan and the people in scope."""
        if self.units is not None:
            return self.units.approved, self.units.total
        return self.planned.total, self.staff.total

    @property
    def complete(self) -> bool:
        """Everyone (every unit below) is in: nothing is left out of the plan."""
        done, of = self.coverage
        return done >= of

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"version": self.version, "source": self.source, "year": self.year, **super().to_json()}
        if self.units is not None:
            out["units"] = self.units.to_json()
        if self.pending is not None:
            out["pending"] = self.pending.to_json()
        return out

    @classmethod
    def from_json(cls, data: object) -> UnitPlanFigures:
        d = _object(data)
        year = d.get("year")
        return cls.of(
            Figures.from_json(d),
            source=_str(d.get("source")),
            year=year if isinstance(year, int) else None,
            units=UnitCounts.from_json(d["units"]) if "units" in d else None,
            pending=Figures.from_json(d["pending"]) if "pending" in d else None,
            version=_int(d.get("version")) or FIGURES_VERSION,
        )
