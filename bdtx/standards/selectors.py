"""Reads of standards and assessments, always through the viewer's scope."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from bdtx.core.models import SchoolYear
from bdtx.core.person_links import PERSONAL_PLAN, PersonLink, person_link
from bdtx.core.scope import Perm, Scope
from bdtx.core.search import search_q
from bdtx.core.selectors import school_year_current
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import national_unit
from bdtx.people.models import Audience, Employment, Person, Position, person_search_rank
from bdtx.people.selectors import units_under_in_year
from bdtx.standards.models import (
    Assessment,
    Confidence,
    Criterion,
    CriterionRating,
    Framework,
    Level,
    PeerOpinion,
    RatingRule,
    Standard,
)
from bdtx.standards.rating import criteria_total, numbers_left_out

# Heads of a unit: evaluated against the standard by the office managing the unit, not by the unit.
HEAD_POSITIONS = frozenset({Position.PRINCIPAL, Position.DIRECTOR})


def latest_assessment(*, person: Person, school_year: SchoolYear) -> Assessment | None:
    """The person's most recent assessment up to (and including) that school year."""
    return (
        Assessment.objects.filter(person=person, school_year_id__lte=school_year)
        .select_related("framework")
        .order_by("-school_year_id")
        .first()
    )


def weak_criteria(*, person: Person, school_year: SchoolYear) -> list[Criterion]:
    """Criteria of the latest assessment rated Chưa đạt or Đạt (the principal's level wins over the
    person's own), weakest first: what programme 03 should strengthen."""
    assessment = latest_assessment(person=person, school_year=school_year)
    if assessment is None:
        return []
    weak = []
    for r in assessment.ratings.select_related("criterion", "criterion__standard"):
        level = r.principal_level or r.self_level
        if level is not None and level <= Level.MET:
            weak.append((level, r.criterion.number, r.criterion))
    return [c for _, _, c in sorted(weak, key=lambda t: (t[0], t[1]))]


# --- frameworks --------------------------------------------------------------------------------


def framework_in_force(*, audience: str, school_year: SchoolYear) -> Framework | None:
    """The standard for this audience in force in that school year (the most recent if several)."""
    return Framework.objects.filter(audience=audience).in_force(school_year).order_by("-first_year", "code").first()


def framework_for_employment(employment: Employment) -> Framework | None:
    audience = Audience.for_staff(staff_type=employment.staff_type, school_level=employment.school_level)
    return framework_in_force(audience=audience, school_year=employment.school_year)


def framework_with_rules(*, pk: int | None = None, uuid: str = "") -> Framework:
    """One framework with its rules prefetched (Framework.DoesNotExist when there is none)."""
    qs = Framework.objects.prefetch_related(Prefetch("rules", queryset=RatingRule.objects.order_by("-result")))
    return qs.get(pk=pk) if pk is not None else qs.get(uuid=uuid)


def framework_standards(framework: Framework) -> list[Standard]:
    """Standards with their criteria (two queries), for forms and pages."""
    return list(
        Standard.objects.filter(framework=framework)
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("number")))
        .order_by("number")
    )


def framework_list() -> QuerySet[Framework]:
    return Framework.objects.all()


@dataclass(frozen=True)
class Completeness:
    """How much of a framework's circular is recorded: the criteria it has against those it should."""

    framework: Framework
    recorded: tuple[int, ...]  # numbers of the criteria recorded
    not_verified: int = 0  # criteria whose wording is not (fully) verified against a source

    @property
    def total(self) -> int:
        return criteria_total(self.framework, len(self.recorded))

    @property
    def unrecorded(self) -> tuple[int, ...]:
        """Criteria of the circular not recorded yet: while there are any, ratings are provisional."""
        return numbers_left_out(self.total, self.recorded)

    @property
    def complete(self) -> bool:
        return not self.unrecorded


def framework_completeness(framework: Framework) -> Completeness:
    """One query: the numbers of the framework's criteria and how many are not verified."""
    rows = list(Criterion.objects.filter(standard__framework=framework).values_list("number", "confidence"))
    return Completeness(
        framework,
        tuple(sorted(n for n, _c in rows)),
        sum(1 for _n, c in rows if c != Confidence.VERIFIED),
    )


def frameworks_with_completeness() -> list[Completeness]:
    """Every framework with its completeness (two queries), by code."""
    frameworks = list(Framework.objects.order_by("code"))
    rows: dict[int, list[tuple[int, str]]] = {fw.pk: [] for fw in frameworks}
    for fw_id, n, c in Criterion.objects.values_list("standard__framework_id", "number", "confidence"):
        rows.setdefault(fw_id, []).append((n, c))
    return [
        Completeness(
            fw,
            tuple(sorted(n for n, _c in rows[fw.pk])),
            sum(1 for _n, c in rows[fw.pk] if c != Confidence.VERIFIED),
        )
        for fw in frameworks
    ]


def may_complete_standards(scope: Scope) -> bool:
    """Whether the viewer may complete and correct the standards (national data: CATALOG_MANAGE
    over the ministry, as for the module catalogs)."""
    unit = national_unit()
    return unit is not None and scope.has(Perm.CATALOG_MANAGE, unit.path)


def framework_get(*, uuid: str) -> Framework:
    """One framework by its uuid (Framework.DoesNotExist → 404). Frameworks are national data."""
    return Framework.objects.get(uuid=uuid)


def framework_criterion(*, framework: Framework, number: int) -> Criterion | None:
    return Criterion.objects.filter(standard__framework=framework, number=number).select_related("standard").first()


# --- the learner's own assessment ---------------------------------------------------------------


@dataclass
class MyStandard:
    """What the self-assessment page needs: this year's job, its standard and the assessment so far."""

    person: Person
    school_year: SchoolYear
    employment: Employment | None
    framework: Framework | None
    assessment: Assessment | None


def my_standard(*, person: Person, school_year: SchoolYear) -> MyStandard:
    employment = (
        Employment.objects.filter(person=person, school_year=school_year).select_related("unit", "unit__parent").first()
    )
    framework = framework_for_employment(employment) if employment else None
    assessment = (
        Assessment.objects.filter(person=person, school_year=school_year).select_related("framework", "unit").first()
    )
    if assessment is not None:
        framework = assessment.framework  # the standard it was started with stays
    return MyStandard(person, school_year, employment, framework, assessment)


def ratings_by_criterion(assessment: Assessment | None) -> dict[int, CriterionRating]:
    if assessment is None:
        return {}
    return {r.criterion_id: r for r in assessment.ratings.all()}


# --- who may see, comment on and evaluate an assessment -----------------------------------------


def _colleague_q(scope: Scope) -> Q:
    """Submitted assessments of the school where the viewer works in that school year."""
    if not scope.person_id:
        return Q(pk__in=[])
    same_school = Employment.objects.filter(
        person_id=scope.person_id, school_year_id=OuterRef("school_year_id"), unit_id=OuterRef("unit_id")
    )
    return Q(Exists(same_school)) & ~Q(status=Assessment.Status.DRAFT)


def assessment_get(*, scope: Scope, uuid: str) -> Assessment:
    """One assessment the viewer may open: inside their scope (their own included), or a submitted
    one of a colleague of the same school that year. Else Assessment.DoesNotExist (→ 404)."""
    visible = Assessment.objects.visible_to(scope).values("pk")
    return (
        Assessment.objects.filter(Q(pk__in=visible) | _colleague_q(scope))
        .select_related("person", "unit", "unit__parent", "framework", "school_year", "evaluated_by__person")
        .get(uuid=uuid)
    )


def assessment_of(*, scope: Scope, person_id: int, school_year: SchoolYear) -> Assessment | None:
    """The person's assessment of that school year, if the viewer may see it as `assessment_get` does."""
    visible = Assessment.objects.visible_to(scope).values("pk")
    return (
        Assessment.objects.filter(Q(pk__in=visible) | _colleague_q(scope))
        .filter(person_id=person_id, school_year=school_year)
        .select_related("unit")
        .first()
    )


@dataclass(frozen=True)
class NextStep:
    """What a person does after their self-assessment: their personal plan of `school_year`."""

    school_year: SchoolYear
    plan: PersonLink | None  # None: they cannot make it yet (not on that year's staff list)


def assessment_next_step(*, scope: Scope, assessment: Assessment) -> NextStep | None:
    """After their self-assessment, a person makes (or opens) their personal plan for the next school
    year, whose proposed modules come from it: plans of year Y are due before Y begins, at the end of
    the year Y - 1 whose self-assessment leads to them (`plans.personal.recommend`). Until their
    school puts them on next year's staff list, the plan they can still work on is this year's, if it
    is not done. Only for the person, once submitted, and while next year's plan is not in the past.
    The plan is what `plans` registered (`bdtx.core.person_links`): standards cannot import it."""
    if not scope.is_person(assessment.person_id) or assessment.status == Assessment.Status.DRAFT:
        return None
    following = SchoolYear.of(assessment.school_year_id + 1)
    if following.pk < school_year_current().pk:
        return None
    for year in (following, assessment.school_year):
        plan = person_link(PERSONAL_PLAN, scope=scope, person_id=assessment.person_id, school_year=year)
        if plan is not None and plan.url and (year == following or plan.todo):
            return NextStep(year, plan)
    return NextStep(following, None)


def assessment_is_of_head(assessment: Assessment) -> bool:
    """Whether the assessed person heads the unit that year (then the managing office evaluates)."""
    return Employment.objects.filter(
        person_id=assessment.person_id,
        school_year_id=assessment.school_year_id,
        unit_id=assessment.unit_id,
        position__in=HEAD_POSITIONS,
    ).exists()


def evaluator_unit(assessment: Assessment) -> Unit:
    """Where STANDARDS_EVALUATE must be held to evaluate this assessment: the school for its
    teachers, the office above it for its head (TT 20/2018 and TT 14/2018: the principal evaluates
    teachers; the managing authority evaluates the principal), by a role at that very unit, not
    any office higher up the tree."""
    parent = assessment.unit.parent
    if parent is not None and assessment_is_of_head(assessment):
        return parent
    return assessment.unit


@dataclass(frozen=True)
class Access:
    """What the viewer may do with one assessment they can open."""

    owner: bool
    view_all: bool  # STANDARDS_VIEW over the unit: the whole record
    colleague: bool  # works at the same school that year
    evaluate: bool
    opinion: bool

    @property
    def allowed(self) -> bool:
        return self.owner or self.view_all or self.colleague


def assessment_access(*, scope: Scope, assessment: Assessment) -> Access:
    owner = scope.person_id is not None and scope.person_id == assessment.person_id
    colleague = (
        not owner
        and scope.person_id is not None
        and Employment.objects.filter(
            person_id=scope.person_id, school_year_id=assessment.school_year_id, unit_id=assessment.unit_id
        ).exists()
    )
    submitted = assessment.status != Assessment.Status.DRAFT
    evaluate = not owner and submitted and scope.holds_at(Perm.STANDARDS_EVALUATE, evaluator_unit(assessment))
    return Access(
        owner=owner,
        view_all=scope.has(Perm.STANDARDS_VIEW, assessment.unit.path),
        colleague=colleague and submitted,
        evaluate=evaluate,
        opinion=colleague and not evaluate and assessment.status == Assessment.Status.SUBMITTED,
    )


def assessment_ratings(assessment: Assessment) -> list[CriterionRating]:
    return list(assessment.ratings.select_related("criterion", "criterion__standard").order_by("criterion__number"))


@dataclass(frozen=True)
class ResultGaps:
    """The criteria of the circular each recorded rating did not count (empty: the rating is final)."""

    self_result: tuple[int, ...] = ()
    principal_result: tuple[int, ...] = ()


def assessment_result_gaps(assessment: Assessment, ratings: list[CriterionRating]) -> ResultGaps:
    """Which criteria of the circular the recorded ratings leave out: those not recorded in the
    standard, and those added to it after the rating was given (one query, for the count)."""
    recorded = Criterion.objects.filter(standard__framework_id=assessment.framework_id).count()
    total = criteria_total(assessment.framework, recorded)
    self_rated = [r.criterion.number for r in ratings if r.self_level is not None]
    principal_rated = [r.criterion.number for r in ratings if r.principal_level is not None]
    return ResultGaps(
        numbers_left_out(total, self_rated) if assessment.self_result else (),
        numbers_left_out(total, principal_rated) if assessment.principal_result else (),
    )


def assessment_opinions(assessment: Assessment) -> list[PeerOpinion]:
    """Opinions with their authors and the author's position at the school that year."""
    opinions = list(assessment.opinions.select_related("author"))
    positions = dict(
        Employment.objects.filter(
            person_id__in=[o.author_id for o in opinions], school_year_id=assessment.school_year_id
        ).values_list("person_id", "position")
    )
    for o in opinions:
        o.author_position = positions.get(o.author_id, "")  # type: ignore[attr-defined]
        o.by_group_head = o.author_position == Position.GROUP_HEAD  # type: ignore[attr-defined]
    return opinions


# --- lists for principals and offices -----------------------------------------------------------


@dataclass(frozen=True)
class AssessmentFilter:
    school_year: SchoolYear
    unit: Unit | None = None
    status: str = ""
    q: str = ""


def _count(qs: QuerySet) -> Subquery:
    return Subquery(qs.order_by().annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


def with_result_coverage(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Each assessment with `self_rated` / `principal_rated` (criteria with a level of each kind) and
    `criteria_total` (criteria of its circular): a rating counted over fewer criteria than the
    circular has is provisional (`result_provisional`). Subqueries: no query per row."""
    ratings = CriterionRating.objects.filter(assessment=OuterRef("pk")).values("assessment")
    recorded = Criterion.objects.filter(standard__framework=OuterRef("framework")).values("standard__framework")
    return qs.annotate(
        self_rated=Coalesce(_count(ratings.filter(self_level__isnull=False)), Value(0)),
        principal_rated=Coalesce(_count(ratings.filter(principal_level__isnull=False)), Value(0)),
        criteria_total=Greatest(
            Coalesce(F("framework__criteria_count"), Value(0)), Coalesce(_count(recorded), Value(0))
        ),
    )


PROVISIONAL_SELF = Q(self_result__isnull=False, self_rated__lt=F("criteria_total"))
PROVISIONAL_PRINCIPAL = Q(principal_result__isnull=False, principal_rated__lt=F("criteria_total"))


def assessment_list(*, scope: Scope, f: AssessmentFilter) -> QuerySet[Assessment]:
    """Assessments of one school year where the viewer holds STANDARDS_VIEW, filtered, by name,
    with their coverage of the circular's criteria (`with_result_coverage`)."""
    qs = with_result_coverage(
        Assessment.objects.visible_to(scope, Perm.STANDARDS_VIEW)
        .filter(school_year=f.school_year)
        .select_related("person", "unit", "framework")
    )
    if f.unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=f.unit, school_year=f.school_year).values("pk"))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.q:
        qs = qs.filter(search_q(f.q, "person__search_text"))
        return qs.order_by(person_search_rank(f.q, "person__"), "person__sort_key", "person_id")
    return qs.order_by("person__sort_key", "person_id")


def not_started_count(*, scope: Scope, f: AssessmentFilter) -> int:
    """Staff of the year in the listed units who have no assessment at all yet (one query)."""
    qs = Employment.objects.visible_to(scope, Perm.STANDARDS_VIEW).filter(school_year=f.school_year)
    if f.unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=f.unit, school_year=f.school_year).values("pk"))
    if f.q:
        qs = qs.filter(search_q(f.q, "person__search_text"))
    started = Assessment.objects.filter(person_id=OuterRef("person_id"), school_year=f.school_year)
    return qs.exclude(Exists(started)).count()


@dataclass(frozen=True)
class AssessmentCounts:
    total: int
    status: list[tuple[Assessment.Status, int]]  # every status, in order, with its count
    levels: list[tuple[Level, int, int]]  # every level, best first: (level, self-ratings, evaluations)
    provisional: int = 0  # assessments with a rating counted over fewer criteria than the circular has


def assessment_counts(qs: QuerySet[Assessment]) -> AssessmentCounts:
    """Counts per status and per rating (self and principal) of a list, in one query; with the
    provisional ratings when the list has its coverage (`with_result_coverage`)."""
    aggregates: dict[str, Count] = {"total": Count("pk")}
    if "criteria_total" in qs.query.annotations:
        aggregates["provisional"] = Count("pk", filter=PROVISIONAL_SELF | PROVISIONAL_PRINCIPAL)
    for status in Assessment.Status:
        aggregates[f"status_{status.value}"] = Count("pk", filter=Q(status=status))
    for level in Level:
        aggregates[f"self_{level.value}"] = Count("pk", filter=Q(self_result=level))
        aggregates[f"principal_{level.value}"] = Count("pk", filter=Q(principal_result=level))
    raw = qs.order_by().aggregate(**aggregates)
    return AssessmentCounts(
        total=raw["total"],
        status=[(s, raw[f"status_{s.value}"]) for s in Assessment.Status],
        levels=[(lvl, raw[f"self_{lvl.value}"], raw[f"principal_{lvl.value}"]) for lvl in reversed(Level)],
        provisional=raw.get("provisional", 0),
    )


def assessment_export_rows(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The list with every rating's criterion number prefetched (for the criteria columns)."""
    return qs.prefetch_related(
        Prefetch("ratings", queryset=CriterionRating.objects.select_related("criterion").order_by("criterion__number"))
    )


# --- TEMIS results imports ------------------------------------------------------------------------------


def temis_import_unit_choices(*, scope: Scope) -> QuerySet[Unit]:
    """Units where the viewer may import results: PEOPLE_IMPORT and STANDARDS_VIEW both held there."""
    importing = Unit.objects.visible_to(scope, Perm.PEOPLE_IMPORT).values("pk")
    return (
        Unit.objects.visible_to(scope, Perm.STANDARDS_VIEW).filter(pk__in=importing).active().order_by("depth", "name")
    )
