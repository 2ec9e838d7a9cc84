"""Reads of a person's BDTX record (hồ sơ BDTX): every school year's plan, modules, attendance,
completion signals, scores, result and core-teacher hours, in a constant number of queries whatever
the number of years and modules (each kind of row is read once for all the years, then grouped)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from bdtx.certificates.models import Certificate
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.people.models import Employment, Person
from bdtx.plans.models import PersonalPlan, PlanItem
from bdtx.regimes.models import Regime
from bdtx.results.models import YearResult
from bdtx.results.templatetags.results_tags import reason_texts
from bdtx.training.completion import attended_sessions
from bdtx.training.models import (
    Assessor,
    AttendanceRule,
    CohortSession,
    Enrolment,
    EnrolmentStatus,
    LmsSource,
    MentorRule,
    Score,
    SignalSource,
)
from bdtx.training.selectors import required_sessions, signal_columns


def record_person_get(*, scope: Scope, uuid: str) -> Person:
    """The person whose record it is, if the viewer sees them at all (DoesNotExist → 404)."""
    return Person.objects.visible_to(scope).get(uuid=uuid)


def record_employments(*, person: Person) -> list[Employment]:
    """The person's work by school year, the newest first, with the unit (one query)."""
    return list(Employment.objects.filter(person=person).select_related("unit").order_by("-school_year_id"))


def record_may_view(scope: Scope, person_id: int, current: Employment | None) -> bool:
    """The person themself, or who may see the staff of the person's current unit (`current`: their
    latest employment): PEOPLE_VIEW over it. A school the person left long ago does not read the
    years they spent elsewhere since."""
    if scope.acts_for(person_id):
        return True
    return current is not None and scope.has(Perm.PEOPLE_VIEW, current.unit.path)


def record_require_view(scope: Scope, person: Person, employments: list[Employment]) -> None:
    """403 unless `record_may_view` (`employments` newest first, as `record_employments` gives them)."""
    if not record_may_view(scope, person.pk, employments[0] if employments else None):
        raise PermissionDenied


def certificate_for(result: YearResult) -> Certificate | None:
    """The certificate issued for a recognised year result, or None (read with the result:
    `select_related("certificate")`, no query of its own)."""
    try:
        return result.certificate
    except Certificate.DoesNotExist:
        return None


@dataclass
class YearRecord:
    """One school year of the record."""

    school_year: SchoolYear
    employment: Employment | None = None
    plan: PersonalPlan | None = None
    enrolments: list[Enrolment] = field(default_factory=list)
    result: YearResult | None = None
    mentor_learners: int = 0
    mentor_hours: Decimal = Decimal(0)
    pass_mark: Decimal | None = None
    certificate: Certificate | None = None

    @property
    def unit_name(self) -> str:
        for source in (self.result, self.plan, self.employment):
            if source is not None:
                return source.unit.name
        return ""


@dataclass
class Record:
    person: Person
    employment: Employment | None  # the latest: the person's current unit and position
    years: list[YearRecord]


def _in_force[T: (Regime, AttendanceRule, MentorRule)](rules: list[T], year: int) -> T | None:
    """The rule in force in the year among rules read once (the latest first year wins)."""
    found = [r for r in rules if r.first_year <= year and (r.last_year is None or r.last_year >= year)]
    return max(found, key=lambda r: r.first_year) if found else None


def _enrolments(person: Person) -> list[Enrolment]:
    """Every enrolment of the person (waiting, withdrawn, moved too), each with the cohort, the group's
    core teacher, the three completion signals with their source and time, the sessions attended
    and held, and the scores with their component: three queries."""
    sessions = (
        CohortSession.objects.filter(cohort=OuterRef("cohort_id"))
        .order_by()
        .values("cohort")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return list(
        Enrolment.objects.filter(person=person)
        .select_related("cohort", "cohort__module", "cohort__organiser", "cohort__institution", "group__mentor")
        .annotate(
            **signal_columns(detail=True),
            sessions_attended=attended_sessions(),
            sessions_held=Coalesce(Subquery(sessions, output_field=IntegerField()), Value(0)),
        )
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=Score.objects.select_related("component").order_by("component__position", "component_id"),
            ),
            Prefetch("cohort__phases"),
        )
        .order_by("school_year_id", "cohort__programme", "cohort__name", "id")
    )


def _mentor_learners(person: Person) -> dict[int, int]:
    """Learners enrolled in the groups the person led, by school year (one query)."""
    rows = (
        Enrolment.objects.filter(group__mentor=person, status=EnrolmentStatus.ENROLLED)
        .order_by()
        .values("school_year_id")
        .annotate(n=Count("pk"))
    )
    return {r["school_year_id"]: r["n"] for r in rows}


def mentor_hours_of(learners: int, rule: MentorRule | None) -> Decimal:
    """The tiết quy đổi of `learners` supported under `rule`: the same figure as
    `bdtx.training.selectors.mentor_hours` (a test holds them equal), from counts read for every
    year at once."""
    if rule is None or not learners:
        return Decimal(0)
    return (Decimal(learners) * rule.hours_per_block / rule.learners_per_block).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class SignalRow:
    """One of the three completion signals of a module: who, the verdict (None: none yet), how, when."""

    party: str
    passed: bool | None
    source: str
    at: Any


def signal_rows(e: Enrolment) -> list[SignalRow]:
    """The LMS's latest result, the core teacher's and the institution's marks, from the columns of
    `signal_columns(detail=True)`."""
    labels = {Assessor.LMS: LmsSource, Assessor.MENTOR: SignalSource, Assessor.INSTITUTION: SignalSource}
    out = []
    for party, choices in labels.items():
        source = getattr(e, f"{party}_source", None)
        names: dict[str, str] = {str(k): str(v) for k, v in choices.choices}
        source_label = names.get(str(source or ""), str(source or ""))
        out.append(
            SignalRow(
                party=str(Assessor(party).label),
                passed=getattr(e, f"{party}_passed", None),
                source=source_label,
                at=getattr(e, f"{party}_at", None),
            )
        )
    return out


def record_build(*, person: Person, employments: list[Employment]) -> Record:
    """Every school year of the person's record, newest first: a year appears when it has a plan, an
    enrolment, a result or learners the person supported as a core teacher (an imported result of an
    earlier year, with no plan, too). About ten queries, whatever the years and modules."""
    plans = {
        p.school_year_id: p
        for p in PersonalPlan.objects.filter(person=person)
        .select_related("unit", "decided_by__person", "regime")
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.select_related("module").order_by("programme")))
    }
    results = {
        r.school_year_id: r
        for r in YearResult.objects.filter(person=person).select_related(
            "unit", "regime", "proposed_by__person", "recognised_by__person", "recognised_unit", "certificate"
        )
    }
    by_year: dict[int, list[Enrolment]] = defaultdict(list)
    for e in _enrolments(person):
        by_year[e.school_year_id].append(e)
    mentored = _mentor_learners(person)
    jobs = {e.school_year_id: e for e in employments}
    year_ids = sorted(set(plans) | set(results) | set(by_year) | {y for y, n in mentored.items() if n}, reverse=True)
    school_years = {y.pk: y for y in SchoolYear.objects.filter(pk__in=year_ids)}
    regimes = list(Regime.objects.all())
    attendance_rules = list(AttendanceRule.objects.all())
    mentor_rules = list(MentorRule.objects.all())
    years = []
    for y in year_ids:
        regime = _in_force(regimes, y)
        rule = _in_force(attendance_rules, y)
        for e in by_year.get(y, []):
            e.sessions_required = required_sessions(rule, e.sessions_held)  # type: ignore[attr-defined]
            phases = list(e.cohort.phases.all())
            e.starts_on = min((p.starts_on for p in phases), default=None)  # type: ignore[attr-defined]
            e.ends_on = max((p.ends_on for p in phases), default=None)  # type: ignore[attr-defined]
            e.signal_rows = signal_rows(e)  # type: ignore[attr-defined]
        learners = mentored.get(y, 0)
        result = results.get(y)
        if result is not None:
            result.reason_texts = reason_texts(result.reasons)  # type: ignore[attr-defined]
            result.component_rows = component_rows(result)  # type: ignore[attr-defined]
        years.append(
            YearRecord(
                school_year=school_years.get(y) or SchoolYear.of(y),
                employment=jobs.get(y),
                plan=plans.get(y),
                enrolments=by_year.get(y, []),
                result=result,
                mentor_learners=learners,
                mentor_hours=mentor_hours_of(learners, _in_force(mentor_rules, y)),
                pass_mark=regime.pass_mark if regime is not None else None,
                certificate=certificate_for(result) if result is not None else None,
            )
        )
    return Record(person=person, employment=employments[0] if employments else None, years=years)


def component_rows(result: YearResult) -> list[tuple[str, str]]:
    """The component scores a result was graded from (TT 26/2012: nd1, nd2, the nd3 modules), each
    with the label the regime's grading gives it, scores written with a decimal comma."""
    comps = result.components or {}
    labels = {c["code"]: c.get("label", c["code"]) for c in (result.regime.grading or {}).get("components", [])}
    out = []
    for code in [*labels, *(k for k in comps if k not in labels)]:
        value = comps.get(code)
        if value in (None, "", []):
            continue
        values = value if isinstance(value, list) else [value]
        out.append((labels.get(code, code), "; ".join(str(v).replace(".", ",") for v in values)))
    return out
