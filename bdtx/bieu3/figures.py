"""The figures of Biểu 3 (seed letter 003), computed from data over a unit's subtree, for a period,
a set of programme 03 modules and an audience (general school, or preschool: the form says preschool
reports on the same form, separately). Every figure is a `Breakdown`: all, women, ethnic minority
(DTTS: an ethnicity set and other than Kinh) and working in a difficult area, with their shares.

What each figure counts (also printed under the form's tables):

The subtree is the one of that school year's organisation tree (`units_under_on` on the year's last
day): a school moved to another office after the year still counts in its old office's report of
that year. A person belongs to it through their employment of the year (its unit in that subtree).

- 2.1 people in scope: people employed in the subtree that school year (working or on leave), at the
  audience's level (their employment's school level, else their school's), whose approved personal
  plan of the year holds the module.
- 2.2 joined: active enrolments (enrolled or waiting) of learners employed in the subtree that year
  at the audience's level, in cohorts of the module whose schedule (a phase, else a
  session) falls in the period — a cohort without any schedule (self-study on the LMS) in every
  period of its school year.
- 2.3 completed: of those, the ones whose module is completed (the three-way completion of training).
- 2.4 not completed: joined − completed.
- 2.5 core teachers who finished their support plan: the core teachers leading a support group that
  holds a learner of 2.2, who have marked (passed or not) every enrolled learner of those groups —
  the core teacher's completion mark is their part of the support plan (seed 003: "được đội ngũ cốt
  cán ... đánh giá là đạt").
- III the surveys of the cohorts of 2.2 (`surveys.selectors.survey_results`): answers are anonymous
  and hold no unit, so the response and satisfaction rates are over those cohorts' learners.
- 5.1 practice work to grade: learners of 2.2 whose latest practice work for a core teacher's
  component is not graded yet (`training.scores.with_practice_state`).
- 5.2 a) learners still to finish: 2.4. b) learners who did not answer the survey: the learners of
  2.2 (so of the audience, the modules and the period) enrolled (not waiting) in those cohorts who
  answered none (`survey_nonrespondents_breakdown`).
- 5.3 still to start: people of 2.1 with no active enrolment in the module that year.

Totals are sums over the modules (a person taking two modules counts twice: "lượt người"). The
number of queries does not grow with modules, schools or people: each figure is one aggregate query
grouped by module (conditional COUNTs).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from bdtx.bieu3.models import UnitJoined, UnitScope
from bdtx.catalog.models import Module
from bdtx.core import numbers
from bdtx.core.models import SchoolYear
from bdtx.organisations.models import SchoolLevel, Unit
from bdtx.organisations.selectors import units_under_on
from bdtx.people.models import KINH_CODE, Employment, EmploymentStatus, Gender, difficult_area_q
from bdtx.summaries.services import ensure_fresh
from bdtx.surveys.models import Survey
from bdtx.surveys.selectors import Results, survey_nonrespondents_breakdown, survey_results
from bdtx.training.models import (
    ACTIVE_STATUSES,
    Assessor,
    CohortPhase,
    CohortSession,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
)
from bdtx.training.scores import with_practice_state

IN_SERVICE = (EmploymentStatus.WORKING, EmploymentStatus.LEAVE)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, to one decimal, halves rounded up; None of nothing."""
    return numbers.percent(part, whole, places=1)


def percent_text(value: Decimal | None) -> str:
    """'57,1%' (Vietnamese decimal comma); '–' of nothing."""
    if value is None:
        return "–"
    return f"{value:f}".replace(".", ",") + "%"


@dataclass(frozen=True)
class Breakdown:
    """A figure of the form: all, women, ethnic minority (DTTS), difficult area."""

    total: int = 0
    women: int = 0
    minority: int = 0
    difficult: int = 0

    def __add__(self, other: "Breakdown") -> "Breakdown":
        return Breakdown(
            self.total + other.total,
            self.women + other.women,
            self.minority + other.minority,
            self.difficult + other.difficult,
        )

    def __sub__(self, other: "Breakdown") -> "Breakdown":
        return Breakdown(
            self.total - other.total,
            self.women - other.women,
            self.minority - other.minority,
            self.difficult - other.difficult,
        )

    @property
    def women_pct(self) -> Decimal | None:
        return percent(self.women, self.total)

    @property
    def minority_pct(self) -> Decimal | None:
        return percent(self.minority, self.total)

    @property
    def difficult_pct(self) -> Decimal | None:
        return percent(self.difficult, self.total)

    def cells(self) -> dict[str, str]:
        """The figure as the form's table cells: counts, and the shares of the row's total."""
        return {
            "total": str(self.total),
            "women": str(self.women),
            "women_pct": percent_text(self.women_pct),
            "minority": str(self.minority),
            "minority_pct": percent_text(self.minority_pct),
            "difficult": str(self.difficult),
            "difficult_pct": percent_text(self.difficult_pct),
        }


ZERO = Breakdown()


@dataclass
class ModuleFigures:
    """Sections II and V of one module (or of all: the total row)."""

    module: Module | None
    in_scope: Breakdown = ZERO  # 2.1
    joined: Breakdown = ZERO  # 2.2
    completed: Breakdown = ZERO  # 2.3
    mentors_done: Breakdown = ZERO  # 2.5
    mentors: int = 0  # core teachers leading a group of 2.2 (done or not)
    to_grade: Breakdown = ZERO  # 5.1
    not_started: Breakdown = ZERO  # 5.3

    @property
    def not_completed(self) -> Breakdown:  # 2.4 and 5.2 a
        return self.joined - self.completed

    @property
    def joined_pct(self) -> Decimal | None:
        """Joined, of the people in scope."""
        return percent(self.joined.total, self.in_scope.total)

    @property
    def completed_pct(self) -> Decimal | None:
        """Completed, of those who joined."""
        return percent(self.completed.total, self.joined.total)

    @property
    def not_completed_pct(self) -> Decimal | None:
        """Not completed, of the people in scope (the form: "so với ... 2.1")."""
        return percent(self.not_completed.total, self.in_scope.total)

    def __add__(self, other: "ModuleFigures") -> "ModuleFigures":
        return ModuleFigures(
            module=None,
            in_scope=self.in_scope + other.in_scope,
            joined=self.joined + other.joined,
            completed=self.completed + other.completed,
            mentors_done=self.mentors_done + other.mentors_done,
            mentors=self.mentors + other.mentors,
            to_grade=self.to_grade + other.to_grade,
            not_started=self.not_started + other.not_started,
        )


@dataclass
class Figures:
    """Everything Biểu 3 computes: a row per module, the total, the surveys (III) and 5.2 b."""

    modules: list[ModuleFigures]
    total: ModuleFigures
    surveys: Results
    survey_count: int
    no_answer: Breakdown  # 5.2 b
    notes: list[str] = field(default_factory=list)

    @property
    def response_pct(self) -> Decimal | None:
        return percent(self.surveys.responses, self.surveys.enrolled)

    @property
    def satisfied_pct(self) -> Decimal | None:
        if self.surveys.satisfied is None:
            return None
        return percent(self.surveys.satisfied, self.surveys.responses)


# --- the conditions ------------------------------------------------------------------------------


def level_q(*, preschool: bool, prefix: str = "") -> Q:
    """Employments (through `prefix`) at a preschool — or, `preschool` False, a general school —:
    their own school level, else their school's levels."""
    mn = Q(**{f"{prefix}school_level": SchoolLevel.MN}) | Q(
        **{f"{prefix}school_level": "", f"{prefix}unit__levels__contains": f",{SchoolLevel.MN},"}
    )
    return mn if preschool else ~mn


def _minority(person: str) -> Q:
    return Q(**{f"{person}ethnicity__isnull": False}) & ~Q(**{f"{person}ethnicity_id": KINH_CODE})


def _counts(key: str, person: str, difficult: Q, *, distinct: bool = False, where: Q | None = None) -> dict[str, Any]:
    """The four conditional counts of a breakdown, named `<key>_total` …, optionally within `where`."""
    base = where if where is not None else Q()

    def count(extra: Q) -> Count:
        return Count(f"{person}pk" if distinct else "pk", distinct=distinct, filter=base & extra)

    return {
        f"{key}_total": count(Q()),
        f"{key}_women": count(Q(**{f"{person}gender": Gender.FEMALE})),
        f"{key}_minority": count(_minority(person)),
        f"{key}_difficult": count(difficult),
    }


def _breakdown(row: dict[str, Any], key: str) -> Breakdown:
    return Breakdown(
        total=row.get(f"{key}_total") or 0,
        women=row.get(f"{key}_women") or 0,
        minority=row.get(f"{key}_minority") or 0,
        difficult=row.get(f"{key}_difficult") or 0,
    )


def in_period_q(period_from: date, period_to: date) -> Q:
    """Cohorts (through `cohort`) with a phase overlapping the period, or a session in it; a cohort
    with no schedule at all (self-study on the LMS) counts in every period of its school year."""
    phases = CohortPhase.objects.filter(cohort=OuterRef("cohort"))
    sessions = CohortSession.objects.filter(cohort=OuterRef("cohort"))
    phase = phases.filter(starts_on__lte=period_to, ends_on__gte=period_from)
    session = sessions.filter(starts_at__date__gte=period_from, starts_at__date__lte=period_to)
    return Q(Exists(phase)) | Q(Exists(session)) | (~Q(Exists(phases)) & ~Q(Exists(sessions)))


@dataclass(frozen=True)
class Selection:
    """What a report counts: the unit's subtree, the year, the period, the modules, the audience."""

    unit: Unit
    school_year: SchoolYear
    period_from: date
    period_to: date
    module_ids: tuple[int, ...]
    preschool: bool

    @cached_property
    def units(self) -> QuerySet[Unit]:
        """The units under the report's unit in the tree of its school year (one query, once)."""
        return units_under_on(unit=self.unit, day=self.school_year.ends_on)

    def posts(self, person_ref: str) -> QuerySet[Employment]:
        """The employment of the year of the person at `person_ref` (an OuterRef name)."""
        return Employment.objects.filter(person=OuterRef(person_ref), school_year=self.school_year)

    def subtree_posts(self, person_ref: str) -> QuerySet[Employment]:
        """The employment of the year of the person at `person_ref`, in the subtree of that year, at
        the audience's level."""
        return self.posts(person_ref).filter(unit__in=self.units).filter(level_q(preschool=self.preschool))

    def joined(self) -> QuerySet[Enrolment]:
        """2.2: the active enrolments the report counts."""
        return (
            Enrolment.objects.filter(
                school_year=self.school_year,
                module_id__in=self.module_ids,
                status__in=ACTIVE_STATUSES,
            )
            .filter(in_period_q(self.period_from, self.period_to))
            .filter(Exists(self.subtree_posts("person")))
        )

    def enrolment_difficult(self) -> Q:
        """An enrolment's learner works in a difficult area that year (their post, else their school)."""
        post = self.posts("person")
        return Q(Exists(post.filter(difficult_area_q())))


def _summed(rows: Iterable[Mapping[str, Any]], key: str, sub: str, in_sub: str) -> dict[int, dict[str, Any]]:
    """Summary rows (module, w, m, d, …, total) as the conditional counts `_breakdown` reads:
    `<key>_*` over every row, `<sub>_*` over the rows where `in_sub` ("started" false, "completed")."""
    out: dict[int, dict[str, Any]] = {}
    for r in rows:
        counts = out.setdefault(r["module_id"], {})
        inside = not r["started"] if in_sub == "not started" else r[in_sub]
        for k in [key, sub] if inside else [key]:
            for group, on in (("total", True), ("women", r["w"]), ("minority", r["m"]), ("difficult", r["d"])):
                if on:
                    counts[f"{k}_{group}"] = counts.get(f"{k}_{group}", 0) + r["total"]
    return out


def _in_scope(sel: Selection) -> dict[int, dict[str, Any]]:
    """2.1 and 5.3, per module: the subtree's units' summaries (`summary`) added up, one query."""
    rows = (
        UnitScope.objects.filter(
            school_year=sel.school_year, unit__in=sel.units, module_id__in=sel.module_ids, preschool=sel.preschool
        )
        .values("module_id", "w", "m", "d", "started")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return _summed(rows, "scope", "new", "not started")


def _joined(sel: Selection) -> dict[int, dict[str, Any]]:
    """2.2 and 2.3, per module: the subtree's units' summaries of the cohorts in the period, one query."""
    rows = (
        UnitJoined.objects.filter(
            school_year=sel.school_year, unit__in=sel.units, module_id__in=sel.module_ids, preschool=sel.preschool
        )
        .filter(in_period_q(sel.period_from, sel.period_to))
        .values("module_id", "w", "m", "d", "completed")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return _summed(rows, "joined", "done", "completed")


def _to_grade(sel: Selection) -> dict[int, dict[str, Any]]:
    """5.1, per module: learners whose latest practice work for the core teacher is not graded."""
    ids = with_practice_state(sel.joined()).filter(practice_to_grade=True).values("pk")  # type: ignore[misc]
    rows = (
        Enrolment.objects.filter(pk__in=ids)
        .values("module_id")
        .annotate(**_counts("grade", "person__", sel.enrolment_difficult()))
        .order_by()
    )
    return {r["module_id"]: dict(r) for r in rows}


def _mentors(sel: Selection) -> dict[int, list[dict[str, Any]]]:
    """2.5, per module: one row per core teacher and module, with the learners they have not marked."""
    groups = sel.joined().filter(group__mentor__isnull=False).values("group")
    marked = CompletionSignal.objects.filter(enrolment=OuterRef("pk"), party=Assessor.MENTOR)
    mentor_post = Employment.objects.filter(person=OuterRef("group__mentor"), school_year=sel.school_year)
    rows = (
        Enrolment.objects.filter(group__in=groups, status=EnrolmentStatus.ENROLLED)
        .annotate(mentor_difficult=Exists(mentor_post.filter(difficult_area_q())))
        .values(
            "module_id",
            "group__mentor",
            "group__mentor__gender",
            "group__mentor__ethnicity_id",
            "mentor_difficult",
        )
        .annotate(unmarked=Count("pk", filter=~Q(Exists(marked))))
        .order_by()
    )
    out: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["module_id"], []).append(dict(r))
    return out


def _mentor_breakdown(rows: Iterable[dict[str, Any]]) -> tuple[Breakdown, int]:
    """Core teachers who marked every learner of their groups of the module; and all of them."""
    by_mentor: dict[int, dict[str, Any]] = {}
    for r in rows:
        seen = by_mentor.setdefault(r["group__mentor"], {**r, "unmarked": 0})
        seen["unmarked"] += r["unmarked"]
        seen["mentor_difficult"] = seen["mentor_difficult"] or r["mentor_difficult"]
    done = [r for r in by_mentor.values() if r["unmarked"] == 0]
    eth = [r["group__mentor__ethnicity_id"] for r in done]
    return (
        Breakdown(
            total=len(done),
            women=sum(1 for r in done if r["group__mentor__gender"] == Gender.FEMALE),
            minority=sum(1 for e in eth if e and e != KINH_CODE),
            difficult=sum(1 for r in done if r["mentor_difficult"]),
        ),
        len(by_mentor),
    )


def bieu3_figures(*, selection: Selection, modules: list[Module], fresh: bool = False) -> Figures:
    """Sections II, III and V of Biểu 3 for `selection`, a row per module (in the order given) and
    their total. A constant number of queries (about a dozen), whatever the size of the subtree; 2.1,
    2.2, 2.3 and 5.3 from the units' summaries, brought up to date first (here, however many changed:
    a page asks `selectors.report_figures` first, which leaves many to a background job, then says
    `fresh`: they were just checked)."""
    if not fresh:
        ensure_fresh(unit=selection.unit, school_year=selection.school_year, units=selection.units, wait=True)
    scope_rows, joined_rows = _in_scope(selection), _joined(selection)
    grade_rows, mentor_rows = _to_grade(selection), _mentors(selection)
    rows: list[ModuleFigures] = []
    for m in modules:
        s, j, g = scope_rows.get(m.pk, {}), joined_rows.get(m.pk, {}), grade_rows.get(m.pk, {})
        done, mentors = _mentor_breakdown(mentor_rows.get(m.pk, []))
        rows.append(
            ModuleFigures(
                module=m,
                in_scope=_breakdown(s, "scope"),
                not_started=_breakdown(s, "new"),
                joined=_breakdown(j, "joined"),
                completed=_breakdown(j, "done"),
                to_grade=_breakdown(g, "grade"),
                mentors_done=done,
                mentors=mentors,
            )
        )
    total = ModuleFigures(module=None)
    for row in rows:
        total = total + row
    surveys = Survey.objects.filter(cohort__in=selection.joined().values("cohort"))
    results = survey_results(surveys=surveys)
    no_answer = survey_nonrespondents_breakdown(surveys=surveys, among=selection.joined())
    return Figures(
        modules=rows,
        total=total,
        surveys=results,
        survey_count=surveys.count(),
        no_answer=Breakdown(
            total=no_answer.total, women=no_answer.women, minority=no_answer.minority, difficult=no_answer.difficult
        ),
    )
