"""The figures of the yearly BDTX results report as typed values, and the JSON they are stored as.

What each figure counts (`selectors.live_figures` computes them; a benchmark writes the same numbers
in plain SQL, so these definitions are fixed):

- **Population** of unit U in school year Y: the `Employment` rows of Y with status working or on
  leave (`plans.unit.selectors.IN_SCOPE_STATUSES`) whose unit is a school or a centre under U in
  the organisation tree of Y (the placements on Y's last day; U itself when U is a school). One
  employment per person and year (a database constraint), so rows are people.
- **Dimensions** of a person: staff type (GV / CBQL), school level (the employment's), ownership
  (the unit's: public / private), woman (gender "F"), ethnic minority (an ethnicity set and not
  Kinh, `KINH_CODE`), ethnic-minority woman, difficult area (`people.models.difficult_area_q`: the
  employment's own value, else its unit's).
- **Outcome**: completed = a `YearResult` of Y with completed true; not completed = a `YearResult`
  of Y with completed false; no result yet = people − completed − not completed.
- **Per programme** p (BD01, BD02, BD03): enrolled = people of the population with at least one
  active enrolment (`training.ACTIVE_STATUSES`) of Y in a cohort of programme p; completed = those
  of them whose active enrolments of p are all completed (`Enrolment.completed`); not completed =
  enrolled − completed.
- **Per module** m: enrolled = people of the population with an active enrolment of Y with module
  m; completed = those whose enrolment is completed; not completed = enrolled − completed.
- Every figure is given in five **groups**: total, women, ethnic minority, ethnic-minority women,
  difficult area. The population and outcome table is split further by staff type × school level ×
  ownership (a *cell*, keyed "GV|TH|public").

A school's filed report stores its live figures; a level above files the sum of its children's
filed (or accepted) reports: `ReportFigures` add up with `+`. The stored JSON (version 1):

    {"version": 1, "reports": 3,
     "cells": {"GV|TH|public": {"people": [5 ints], "completed": [...], "not_completed": [...]}, …},
     "programmes": {"BD01": {"enrolled": [...], "completed": [...]}, …},
     "modules": {"<module uuid>": {"catalog", "code", "title", "enrolled": [...], "completed": [...]}, …}}

where each list of 5 ints is the five groups in the order above. Reading is tolerant: a missing key
reads as zero or empty. This module knows no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, Self

type JSON = int | str | list[JSON] | dict[str, JSON] | None

FIGURES_VERSION = 1
GROUPS = ("total", "women", "minority", "minority_women", "difficult")


def _object(value: object) -> Mapping[str, object]:
    return value if isinstance(value, dict) else {}


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


@dataclass(frozen=True)
class Groups:
    """One figure in the five groups: total, women, ethnic minority, ethnic-minority women,
    difficult area."""

    total: int = 0
    women: int = 0
    minority: int = 0
    minority_women: int = 0
    difficult: int = 0

    @classmethod
    def of_person(cls, *, n: int, woman: bool, minority: bool, difficult: bool) -> Groups:
        """`n` people sharing the same three traits."""
        return cls(n, n * woman, n * minority, n * (woman and minority), n * difficult)

    def __add__(self, other: Groups) -> Groups:
        return Groups(*(a + b for a, b in zip(self.as_list(), other.as_list(), strict=True)))

    def __sub__(self, other: Groups) -> Groups:
        return Groups(*(a - b for a, b in zip(self.as_list(), other.as_list(), strict=True)))

    def as_list(self) -> list[int]:
        return [self.total, self.women, self.minority, self.minority_women, self.difficult]

    def to_json(self) -> JSON:
        return list(self.as_list())

    @classmethod
    def from_json(cls, value: object) -> Groups:
        values = [v if isinstance(v, int) else 0 for v in value] if isinstance(value, list) else []
        return cls(*(values + [0] * 5)[:5])


@dataclass(frozen=True)
class Outcome:
    """The people of a cell and how their year ended."""

    people: Groups = Groups()
    completed: Groups = Groups()
    not_completed: Groups = Groups()

    @property
    def no_result(self) -> Groups:
        return self.people - self.completed - self.not_completed

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(
            self.people + other.people,
            self.completed + other.completed,
            self.not_completed + other.not_completed,
        )

    def to_json(self) -> JSON:
        return {
            "people": self.people.to_json(),
            "completed": self.completed.to_json(),
            "not_completed": self.not_completed.to_json(),
        }

    @classmethod
    def from_json(cls, value: object) -> Outcome:
        o = _object(value)
        return cls(*(Groups.from_json(o.get(k)) for k in ("people", "completed", "not_completed")))


@dataclass(frozen=True)
class Participation:
    """Who took part in a programme or a module, and who completed it."""

    enrolled: Groups = Groups()
    completed: Groups = Groups()

    @property
    def not_completed(self) -> Groups:
        return self.enrolled - self.completed

    def __add__(self, other: Participation) -> Participation:
        return Participation(self.enrolled + other.enrolled, self.completed + other.completed)

    def to_json(self) -> dict[str, JSON]:
        return {"enrolled": self.enrolled.to_json(), "completed": self.completed.to_json()}

    @classmethod
    def from_json(cls, value: object) -> Participation:
        o = _object(value)
        return cls(Groups.from_json(o.get("enrolled")), Groups.from_json(o.get("completed")))


@dataclass(frozen=True)
class ModuleParticipation(Participation):
    catalog: str = ""
    code: str = ""
    title: str = ""

    def __add__(self, other: Participation) -> ModuleParticipation:
        return ModuleParticipation(
            self.enrolled + other.enrolled,
            self.completed + other.completed,
            catalog=self.catalog,
            code=self.code,
            title=self.title,
        )

    def to_json(self) -> dict[str, JSON]:
        return {"catalog": self.catalog, "code": self.code, "title": self.title, **super().to_json()}

    @classmethod
    def from_json(cls, value: object) -> ModuleParticipation:
        o = _object(value)
        return cls(
            Groups.from_json(o.get("enrolled")),
            Groups.from_json(o.get("completed")),
            catalog=_str(o.get("catalog")),
            code=_str(o.get("code")),
            title=_str(o.get("title")),
        )


def cell_key(staff_type: str, level: str, ownership: str) -> str:
    return f"{staff_type}|{level}|{ownership}"


def cell_parts(key: str) -> tuple[str, str, str]:
    staff_type, level, ownership = ([*key.split("|"), "", ""])[:3]
    return staff_type, level, ownership


@dataclass(frozen=True)
class ReportFigures:
    """A unit's report figures: outcome per cell, participation per programme and per module.

    `reports` counts the school reports summed (1 for a school's own figures, 0 for none)."""

    cells: dict[str, Outcome] = field(default_factory=dict)
    programmes: dict[str, Participation] = field(default_factory=dict)
    modules: dict[str, ModuleParticipation] = field(default_factory=dict)
    reports: int = 0

    def __add__(self, other: ReportFigures) -> ReportFigures:
        return ReportFigures(
            cells=_merge(self.cells, other.cells),
            programmes=_merge(self.programmes, other.programmes),
            modules=_merge(self.modules, other.modules),
            reports=self.reports + other.reports,
        )

    @classmethod
    def total_of(cls, figures: Iterable[ReportFigures]) -> ReportFigures:
        return sum(figures, cls())

    @property
    def overall(self) -> Outcome:
        """Every cell together."""
        return sum(self.cells.values(), Outcome())

    def by(self, part: int) -> dict[str, Outcome]:
        """The cells summed by one of their parts (0 staff type, 1 school level, 2 ownership)."""
        out: dict[str, Outcome] = {}
        for key, outcome in self.cells.items():
            value = cell_parts(key)[part]
            out[value] = out.get(value, Outcome()) + outcome
        return out

    @property
    def core(self) -> dict[str, JSON]:
        """What the figures say, without `reports` (compared to tell a snapshot from today)."""
        data = self.to_json()
        assert isinstance(data, dict)
        data.pop("reports", None)
        return data

    def to_json(self) -> JSON:
        return {
            "version": FIGURES_VERSION,
            "reports": self.reports,
            "cells": {k: v.to_json() for k, v in sorted(self.cells.items())},
            "programmes": {k: v.to_json() for k, v in sorted(self.programmes.items())},
            "modules": {k: v.to_json() for k, v in sorted(self.modules.items())},
        }

    @classmethod
    def from_json(cls, value: object) -> ReportFigures:
        o = _object(value)
        reports = o.get("reports")
        return cls(
            cells={str(k): Outcome.from_json(v) for k, v in _object(o.get("cells")).items()},
            programmes={str(k): Participation.from_json(v) for k, v in _object(o.get("programmes")).items()},
            modules={str(k): ModuleParticipation.from_json(v) for k, v in _object(o.get("modules")).items()},
            reports=reports if isinstance(reports, int) else 0,
        )
