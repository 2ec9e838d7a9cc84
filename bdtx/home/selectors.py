"""What waits for the signed-in person to act on: the first thing their landing page shows.

Each line says what, how many, and links to the list filtered to exactly those. A constant number
of queries per unit the person holds a role at (a handful of units at most).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bdtx.catalog.models import Catalog
from bdtx.catalog.models import Confidence as CatalogConfidence
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import units_holding
from bdtx.people.models import Person, Position
from bdtx.plans.models import DeadlineDefault, PersonalPlan, PlanStatus, UnitPlan
from bdtx.plans.unit.selectors import children_in_year, is_school_like
from bdtx.regimes.models import Regime
from bdtx.standards.models import Assessment, Confidence, Framework
from bdtx.training.models import MentorRule, QuestionRule, TrainerRule
from bdtx.training.questions import mentor_waiting

HEADS = (Position.PRINCIPAL, Position.DIRECTOR)


@dataclass(frozen=True)
class Waiting:
    text: str
    url: str
    tone: str  # "danger": sent back to you; "primary": for you to decide; "warning": for you to finish


def _url(name: str, *args: object, **query: object) -> str:
    url = reverse(name, args=args)
    return f"{url}?{urlencode({k: str(v) for k, v in query.items()})}" if query else url


def waiting_for(*, scope: Scope, person: Person | None, school_year: SchoolYear) -> list[Waiting]:
    """Everything that waits for this person, what was sent back to them first."""
    out: list[Waiting] = []
    years = (school_year, school_year.next)
    if person is not None:
        out += _my_own(person=person, school_year=school_year, years=years)
        out += _to_answer(person=person, school_year=school_year)
    for unit in units_holding(scope=scope, permission=Perm.PLANS_APPROVE):
        out += _to_decide(scope=scope, unit=unit, years=years)
    for unit in units_holding(scope=scope, permission=Perm.STANDARDS_EVALUATE):
        out += _to_evaluate(unit=unit, school_year=school_year, me=person)
    order = {"danger": 0, "primary": 1, "warning": 2}
    return sorted(out, key=lambda w: order[w.tone])


def _my_own(*, person: Person, school_year: SchoolYear, years: tuple[SchoolYear, SchoolYear]) -> list[Waiting]:
    out = []
    for plan in PersonalPlan.objects.filter(person=person, school_year__in=years).select_related("school_year"):
        url = _url("plans:mine", year=plan.school_year_id)
        if plan.status == PlanStatus.RETURNED:
            text = _("Your plan for %(y)s was sent back to you: see the comment and change it.")
            out.append(Waiting(text % {"y": plan.school_year.label}, url, "danger"))
        elif plan.status == PlanStatus.DRAFT:
            text = _("Your plan for %(y)s is not submitted yet.")
            out.append(Waiting(text % {"y": plan.school_year.label}, url, "warning"))
    assessment = Assessment.objects.filter(person=person, school_year=school_year).only("status").first()
    if assessment is None or assessment.status == Assessment.Status.DRAFT:
        text = _("Your self-assessment against the professional standard for %(y)s is not submitted yet.")
        out.append(Waiting(text % {"y": school_year.label}, _url("standards:mine"), "warning"))
    return out


def _to_answer(*, person: Person, school_year: SchoolYear) -> list[Waiting]:
    """A core teacher's learners' questions not answered yet (the overdue ones said apart)."""
    w = mentor_waiting(person_id=person.pk, school_year=school_year)
    if not w.waiting:
        return []
    text = ngettext(
        "%(n)s question of your learners waits for your answer.",
        "%(n)s questions of your learners wait for your answer.",
        w.waiting,
    ) % {"n": w.waiting}
    if w.overdue:
        text += " " + _("%(n)s of them for more than %(d)s days.") % {"n": w.overdue, "d": w.days}
    return [Waiting(text, _url("training:my_groups"), "danger" if w.overdue else "primary")]


def _to_decide(*, scope: Scope, unit: Unit, years: tuple[SchoolYear, SchoolYear]) -> list[Waiting]:
    out = []
    for year in years:
        # personal plans: a school decides on its staff's, an office on the heads of its schools
        plans = PersonalPlan.objects.filter(school_year=year, status=PlanStatus.SUBMITTED)
        if is_school_like(unit):
            plans = plans.filter(unit=unit)
            if scope.person_id is not None:
                plans = plans.exclude(person_id=scope.person_id)
            query = {"year": year.pk, "unit": unit.uuid, "status": PlanStatus.SUBMITTED}
        else:
            plans = plans.filter(
                unit__in=children_in_year(unit=unit, school_year=year).values("pk"),
                person__employments__school_year=year,
                person__employments__position__in=HEADS,
            )
            query = {"year": year.pk, "unit": unit.uuid, "status": PlanStatus.SUBMITTED}
        if n := plans.distinct().count():
            text = ngettext(
                "%(n)s personal plan for %(y)s waits for your decision.",
                "%(n)s personal plans for %(y)s wait for your decision.",
                n,
            )
            out.append(Waiting(text % {"n": n, "y": year.label}, _url("plans:list", **query), "primary"))
        if not is_school_like(unit):
            units = UnitPlan.objects.filter(
                school_year=year, status=PlanStatus.SUBMITTED, unit__in=children_in_year(unit=unit, school_year=year)
            ).count()
            if units:
                text = ngettext(
                    "%(n)s plan of a unit below for %(y)s waits for your decision.",
                    "%(n)s plans of units below for %(y)s wait for your decision.",
                    units,
                )
                url = _url("plans:board", unit=unit.uuid, year=year.pk, status=PlanStatus.SUBMITTED)
                out.append(Waiting(text % {"n": units, "y": year.label}, url, "primary"))
        own = UnitPlan.objects.filter(unit=unit, school_year=year, status=PlanStatus.RETURNED).first()
        if own is not None:
            text = _("The plan of %(unit)s for %(y)s was sent back: see the comment, compile it again and submit it.")
            out.append(
                Waiting(text % {"unit": unit.name, "y": year.label}, _url("plans:unit_plan", own.uuid), "danger")
            )
    return out


def _to_evaluate(*, unit: Unit, school_year: SchoolYear, me: Person | None) -> list[Waiting]:
    """Self-assessments submitted for this unit's evaluation: a school's teachers, or the heads of
    the schools under an office."""
    qs = Assessment.objects.filter(school_year=school_year, status=Assessment.Status.SUBMITTED)
    if is_school_like(unit):
        qs = qs.filter(unit=unit)
        if me is not None:
            qs = qs.exclude(person=me)
        qs = qs.exclude(person__employments__school_year=school_year, person__employments__position__in=HEADS)
    else:
        qs = qs.filter(
            unit__in=children_in_year(unit=unit, school_year=school_year).values("pk"),
            person__employments__school_year=school_year,
            person__employments__position__in=HEADS,
        )
    n = qs.distinct().count()
    if not n:
        return []
    text = ngettext(
        "%(n)s self-assessment waits for your evaluation.", "%(n)s self-assessments wait for your evaluation.", n
    )
    url = _url("standards:list", year=school_year.pk, unit=unit.uuid, status=Assessment.Status.SUBMITTED)
    return [Waiting(text % {"n": n}, url, "primary")]


@dataclass(frozen=True)
class DataSources:
    """Where the reference data comes from and how far it has been checked against the official
    texts: for the people who maintain it, never shown inline to the others."""

    catalogs: list[Any]  # Catalog rows annotated n_modules, n_partial, n_unverified
    frameworks: list[Any]  # Framework rows annotated n_criteria, n_partial, n_unverified
    regimes: list[Any]
    deadline_defaults: list[Any]
    trainer_rules: list[Any]
    mentor_rules: list[Any]
    question_rules: list[Any] = field(default_factory=list)

    @property
    def to_check(self) -> int:
        """How many data sets still need checking against the official text."""
        return (
            sum(1 for c in self.catalogs if c.n_partial or c.n_unverified or c.completeness_note)
            + sum(1 for f in self.frameworks if f.n_partial or f.n_unverified or f.completeness_note)
            + sum(1 for r in self.regimes if r.verification_note)
            + sum(1 for d in self.deadline_defaults if d.verification_note)
            + sum(1 for r in [*self.trainer_rules, *self.mentor_rules, *self.question_rules] if r.verification_note)
        )


def data_sources(scope: Scope) -> DataSources:
    """Every data set with its legal source and what is still to be checked (seven queries)."""
    if not scope.has_anywhere(Perm.CATALOG_MANAGE):
        raise PermissionDenied
    catalogs = Catalog.objects.annotate(
        n_modules=Count("modules", distinct=True),
        n_partial=Count("modules", filter=Q(modules__confidence=CatalogConfidence.PARTIAL), distinct=True),
        n_unverified=Count("modules", filter=Q(modules__confidence=CatalogConfidence.UNVERIFIED), distinct=True),
    ).order_by("audience", "first_year", "code")
    frameworks = Framework.objects.annotate(
        n_criteria=Count("standards__criteria", distinct=True),
        n_partial=Count(
            "standards__criteria", filter=Q(standards__criteria__confidence=Confidence.PARTIAL), distinct=True
        ),
        n_unverified=Count(
            "standards__criteria", filter=Q(standards__criteria__confidence=Confidence.UNVERIFIED), distinct=True
        ),
    ).order_by("code")
    return DataSources(
        catalogs=list(catalogs),
        frameworks=list(frameworks),
        regimes=list(Regime.objects.order_by("first_year")),
        deadline_defaults=list(DeadlineDefault.objects.order_by("kind", "first_year")),
        trainer_rules=list(TrainerRule.objects.order_by("first_year")),
        mentor_rules=list(MentorRule.objects.order_by("first_year")),
        question_rules=list(QuestionRule.objects.order_by("first_year")),
    )
