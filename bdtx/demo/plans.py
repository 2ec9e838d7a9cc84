"""Demo plans of the current school year, so every board, landing page and report has something to
show and the ministry can compare its two provinces: personal plans in every state (most approved,
some submitted and waiting, a few returned or still drafts, some people not started), and unit plans
part of the way up (schools compiled and submitted, some approved by the commune, the demo commune
with plans waiting for its decision).

Each kind of person (province, required periods, audience, level) gets one plan built through the
real services (start, the recommender's proposal, submit, approve), so it is checked like one made
on the pages; the others of that kind get copies of its lines written in bulk, which keeps the
loader at a few seconds instead of minutes. Unit plans go through the unit-plan services. The
state each person or unit is left in is drawn from its id, so a reload gives the same picture.
Idempotent: a province that already has plans this year is left as it is."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from bdtx.catalog.models import Module
from bdtx.core.bulk import planner_statistics_refresh
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.demo.lang_son import PROVINCE_CODE as LANG_SON
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment
from bdtx.plans.models import PersonalPlan, PlanStatus, UnitPlan
from bdtx.plans.personal import selectors as plan_selectors
from bdtx.plans.personal import services as plan_services
from bdtx.plans.personal.recommend import recommend_modules
from bdtx.plans.unit import selectors as unit_selectors
from bdtx.plans.unit import services as unit_services
from bdtx.regimes.models import Regime

NONE = "none"
RETURN_COMMENT = "Đề nghị đồng chí chọn lại mô đun cho phù hợp với kết quả tự đánh giá theo chuẩn."


@dataclass(frozen=True)
class Shares:
    """Per cent of people left in each state (the rest have not started), and of schools whose plan
    is submitted, of which the share approved by the level above."""

    approved: int
    submitted: int
    returned: int
    draft: int
    schools_submitted: int
    schools_approved: int

    def person_state(self, pk: int) -> str:
        n = _draw(pk)
        for state, share in (
            (PlanStatus.APPROVED, self.approved),
            (PlanStatus.SUBMITTED, self.submitted),
            (PlanStatus.RETURNED, self.returned),
            (PlanStatus.DRAFT, self.draft),
        ):
            if n < share:
                return str(state)
            n -= share
        return NONE


# Cao Bằng is well into the year; Lạng Sơn, the smaller province, is behind: the ministry sees both.
SHARES = {
    CAO_BANG: Shares(approved=62, submitted=14, returned=4, draft=8, schools_submitted=60, schools_approved=50),
    LANG_SON: Shares(approved=35, submitted=12, returned=3, draft=10, schools_submitted=30, schools_approved=34),
}
# The demo accounts' own plans: the teacher has one sent back to revise, the principal's waits for
# the commune, the core teacher's is approved.
ACCOUNT_STATES = {"giaovien": PlanStatus.RETURNED, "hieutruong": PlanStatus.SUBMITTED, "cotcan": PlanStatus.APPROVED}


def _draw(pk: int) -> int:
    """A number 0–99 fixed by the id (Knuth's multiplicative hash), spread evenly over ids."""
    return (pk * 2654435761 % 2**32) * 100 // 2**32


@dataclass
class DemoPlansSummary:
    province: str
    loaded: bool
    by_status: dict[str, int] = field(default_factory=dict)
    unit_plans: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def plans_demo_load() -> list[DemoPlansSummary]:
    year = school_year_current()
    summaries = []
    for code, shares in SHARES.items():
        province = Unit.objects.filter(code=code).first()
        if province is None:
            continue
        summaries.append(_province_plans(province, shares, year))
    return summaries


def _account_people() -> dict[int, str]:
    return {
        u.person.pk: str(ACCOUNT_STATES[u.username])
        for u in User.objects.filter(username__in=ACCOUNT_STATES).select_related("person")
        if getattr(u, "person", None) is not None
    }


@transaction.atomic
def _province_plans(province: Unit, shares: Shares, year: SchoolYear) -> DemoPlansSummary:
    started = time.perf_counter()
    summary = DemoPlansSummary(province=province.name, loaded=False)
    if PersonalPlan.objects.filter(school_year=year, unit__path__startswith=province.path).exists():
        return summary
    summary.loaded = True
    accounts = _account_people()
    jobs = list(
        Employment.objects.filter(school_year=year, unit__path__startswith=province.path)
        .select_related("person", "unit")
        .order_by("person_id")
    )
    kinds: dict[tuple, list[tuple[Employment, str]]] = defaultdict(list)
    required_of: dict[int, plan_selectors.RequiredHours | None] = {}
    focus_of: dict[tuple[str, str], list[Module]] = {}
    for job in jobs:  # one employment per person and year
        state = accounts.get(job.person_id) or shares.person_state(job.person_id)
        if state == NONE:
            continue
        if job.unit_id not in required_of:
            try:
                required_of[job.unit_id] = plan_selectors.required_hours(unit=job.unit, school_year=year)
            except Regime.DoesNotExist:
                required_of[job.unit_id] = None
        required = required_of[job.unit_id]
        if required is None:
            continue
        audience = plan_selectors.audience_of(job)
        if (audience, job.school_level) not in focus_of:
            focus_of[audience, job.school_level] = plan_selectors.focus_modules(
                unit=job.unit, school_year=year, audience=audience, school_level=job.school_level
            )[0]
        focus = focus_of[audience, job.school_level]
        # People of one kind start from different focus modules of their province, so every focus
        # module has its learners (seed 003 asks for modules 4, 5 and 9 of the GDPT 2018 catalogs).
        first = focus[_spread(job.person_id) % len(focus)] if focus else None
        kinds[required, audience, job.school_level, first].append((job, state))
    counts: dict[str, int] = defaultdict(int)
    for (*_kind, first), members in kinds.items():
        for state, n in _plans_of_a_kind(members, year, first).items():
            counts[state] += n
    summary.by_status = dict(counts)
    planner_statistics_refresh()  # the unit plans below add up the plans just written
    summary.unit_plans = _unit_plans(province, shares, year)
    summary.seconds = time.perf_counter() - started
    return summary


def _spread(pk: int) -> int:
    """Another number fixed by the id, independent of `_draw`'s (which picks the plan's state)."""
    return pk * 40503 % 65521


def _exemplar(job: Employment, year: SchoolYear, first: Module | None) -> tuple[PersonalPlan, bool]:
    """One plan made as the person would: started, a focus module chosen first (when it fits the
    person), the recommender's proposal for the rest added; whether it can be submitted (the lines
    fill every programme's periods)."""
    plan = plan_services.plan_start(scope=SYSTEM, person=job.person, school_year=year)
    chosen = []
    if first is not None:
        try:
            plan_services.plan_module_add(scope=SYSTEM, plan=plan, module=first)
            chosen.append(first)
        except ValidationError:
            pass
    for r in recommend_modules(person=job.person, school_year=year, chosen=chosen).proposed:
        plan_services.plan_module_add(scope=SYSTEM, plan=plan, module=r.module, reason=r.reason)
    return plan, not plan_selectors.plan_problems(plan=plan)


def _decide(plan: PersonalPlan, state: str) -> None:
    if state == PlanStatus.DRAFT:
        return
    plan_services.plan_submit(scope=SYSTEM, plan=plan)
    if state == PlanStatus.APPROVED:
        plan_services.plan_approve(scope=SYSTEM, plan=plan)
    elif state == PlanStatus.RETURNED:
        plan_services.plan_return(scope=SYSTEM, plan=plan, comment=RETURN_COMMENT)


def _plans_of_a_kind(members: list[tuple[Employment, str]], year: SchoolYear, first: Module | None) -> dict[str, int]:
    """The first member's plan through the services; the others' copied from it in bulk. A kind
    whose proposal cannot fill the periods (the catalog lacks modules for it) stays in draft."""
    counts: dict[str, int] = defaultdict(int)
    first_job, first_state = members[0]
    with transaction.atomic():
        exemplar, complete = _exemplar(first_job, year, first)
        state = first_state if complete else str(PlanStatus.DRAFT)
        _decide(exemplar, state)
    counts[state] += 1
    copies = [(job, wanted if complete else str(PlanStatus.DRAFT)) for job, wanted in members[1:]]
    for _job, st in copies:
        counts[st] += 1
    plan_services.plan_copies_create(scope=SYSTEM, exemplar=exemplar, copies=copies, comment=RETURN_COMMENT)
    return counts


def _unit_plans(province: Unit, shares: Shares, year: SchoolYear) -> dict[str, int]:
    """Schools compile and (a share of them) submit; the level above approves part of those. The
    demo accounts' school keeps its plan to make (its principal has plans to approve first)."""
    counts: dict[str, int] = defaultdict(int)
    account_units = set(User.objects.filter(username="hieutruong").values_list("role_assignments__unit_id", flat=True))
    schools = [
        u
        for u in Unit.objects.filter(path__startswith=province.path, dissolved_on__isnull=True).order_by("pk")
        if unit_selectors.is_school_like(u) and u.pk not in account_units
    ]
    for school in schools:
        n = _draw(school.pk)
        if n >= shares.schools_submitted:
            continue
        try:
            with transaction.atomic():
                plan = unit_services.unit_plan_compile(scope=SYSTEM, unit=school, school_year=year)
                unit_services.unit_plan_submit(scope=SYSTEM, plan=plan, incomplete_ok=True)
                state = PlanStatus.SUBMITTED
                if n * 100 < shares.schools_submitted * shares.schools_approved:
                    unit_services.unit_plan_approve(scope=SYSTEM, plan=plan)
                    state = PlanStatus.APPROVED
        except ValidationError:
            continue
        counts[str(state)] += 1
    counts["compiled"] = UnitPlan.objects.filter(school_year=year, unit__path__startswith=province.path).count()
    return dict(counts)
