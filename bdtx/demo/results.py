"""Demo year results: the previous school year in Cao Bằng ran to its end — personal plans approved,
every programme's training done, scores, three-way completion and the offices' approved completion
lists — so its results are computed, proposed by the schools, recognised and certified (one
certificate revoked); the current year has the results of the demo principal's school computed and
waiting for the commune's recognition.

The previous year's plans copy the lines of each person's approved plan of the current year (the
demo has no needs assessment for last year); its cohorts — one per programme 01/02 topic and per
module, organised by the Sở and assessed by CĐSP Cao Bằng — and their learners' LMS results, marks
and scores are written in bulk (a few thousand rows), drawn from each person's id so a reload gives
the same picture. `Enrolment.completed`, the completion lists and the results then go through the
real services (`completion_recompute`, `completion_lists_send`/`approve`, `results_compute`), so
they follow the same rules as on the pages. Idempotent: a year with results is left as it is."""

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.accounts.selectors import scope_for_user
from bdtx.certificates.models import Certificate
from bdtx.certificates.services import certificate_revoke, certificates_issue, issuer_for
from bdtx.core.bulk import planner_statistics_refresh
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import INSTITUTION
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Regime
from bdtx.results.compute import results_compute
from bdtx.results.models import YearResult
from bdtx.results.selectors import recogniser_of, recognisers_of
from bdtx.results.services import result_correct, results_propose, results_recognise
from bdtx.training import completion
from bdtx.training.models import (
    AssessmentComponent,
    Assessor,
    Cohort,
    CohortStatus,
    CompletionSignal,
    ComponentKind,
    Enrolment,
    EnrolmentStatus,
    LmsResult,
    LmsSource,
    Score,
    ScoreSource,
    SignalSource,
)

# The demo accounts are given last year's plan even if this year's is not approved (the teacher
# downloads her certificate of last year).
ACCOUNTS = ("giaovien", "hieutruong", "cotcan")
SIGNER = "Nông Văn Hùng"
CORRECTION = (
    "Phúc tra bài thu hoạch mô đun theo đơn của nhà trường: điểm dưới 5, kết quả năm học chuyển sang "
    "Không hoàn thành; thu hồi giấy chứng nhận đã cấp."
)


def _draw(pk: int, salt: int) -> int:
    """A number 0–999 fixed by the id and a salt (Knuth's multiplicative hash)."""
    return ((pk * 1000003 + salt) * 2654435761 % 2**32) * 1000 // 2**32


def _at(year: SchoolYear, month: int, day: int) -> datetime:
    y = year.start_year if month >= 8 else year.start_year + 1
    return datetime.combine(date(y, month, day), time(9), tzinfo=UTC)


@transaction.atomic
def previous_year_demo_load() -> int:
    """The previous school year's training and results in Cao Bằng; returns the results computed
    (0 when the year has results already)."""
    current = school_year_current()
    year = SchoolYear.of(current.start_year - 1)
    province = Unit.objects.filter(code=CAO_BANG).first()
    if province is None or YearResult.objects.filter(school_year=year, unit__path__startswith=province.path).exists():
        return 0
    regime = Regime.objects.for_year(year)
    units_then = dict(
        Employment.objects.filter(school_year=year, unit__path__startswith=province.path).values_list(
            "person_id", "unit_id"
        )
    )
    accounts = set(User.objects.filter(username__in=ACCOUNTS).values_list("person__pk", flat=True))
    plans_now = list(
        PersonalPlan.objects.filter(school_year=current, unit__path__startswith=province.path)
        .filter(Q(status=PlanStatus.APPROVED) | Q(person_id__in=accounts))
        .values_list("pk", "person_id")
    )
    plans_now = [(pk, person) for pk, person in plans_now if person in units_then]
    decided = _at(year, 10, 20)
    plans = PersonalPlan.objects.bulk_create(
        [
            PersonalPlan(
                person_id=person,
                unit_id=units_then[person],
                school_year=year,
                regime=regime,
                status=PlanStatus.APPROVED,
                submitted_at=decided - timedelta(days=5),
                decided_at=decided,
            )
            for _pk, person in plans_now
        ]
    )
    plan_of = {p.person_id: p for p in plans}
    items_now: dict[int, list[tuple[str, int | None, str, int, str]]] = defaultdict(list)
    for plan_id, programme, module_id, title, hours, form in PlanItem.objects.filter(
        plan_id__in=[pk for pk, _p in plans_now]
    ).values_list("plan_id", "programme", "module_id", "title", "hours", "form"):
        items_now[plan_id].append((programme, module_id, title, hours, form))
    person_of_plan = dict(plans_now)
    this, then = str(current), str(year)  # "… năm học 2026-2027" of a programme 01 topic is last year's
    new_items = [
        PlanItem(
            plan=plan_of[person_of_plan[pk]], programme=pr, module_id=m, title=t.replace(this, then), hours=h, form=f
        )
        for pk, items in items_now.items()
        for pr, m, t, h, f in items
    ]
    PlanItem.objects.bulk_create(new_items, batch_size=2000)
    cohorts = _cohorts(year, province, {(it.programme, it.module_id, it.title) for it in new_items})
    _learning(year, cohorts, new_items)
    planner_statistics_refresh()  # the checks below read the thousands of rows just written
    so = scope_for_user(User.objects.get(username="so"))
    for cohort in cohorts.values():
        completion.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
        for lst in completion.completion_lists_send(scope=so, cohort=cohort):
            completion.completion_list_approve(scope=so, completion_list=lst)
    # a completion is recorded when the last of the three marks arrives (3 days after the course
    # ended), not on the day the demo is loaded: the dashboards count completions by that month
    Enrolment.objects.filter(cohort__in=list(cohorts.values()), completed=True).update(
        completion_checked_at=_at(year, 4, 23)
    )
    Cohort.objects.filter(pk__in=[c.pk for c in cohorts.values()]).update(status=CohortStatus.CLOSED)
    summary = results_compute(scope=SYSTEM, unit=province, school_year=year)
    # every school proposed its list, and the managing units recognised them (as the demo accounts
    # where there is one: the demo school's principal, the commune `xa`)
    as_user = {
        ra.unit_id: scope_for_user(ra.user)
        for ra in RoleAssignment.objects.filter(
            user__username__in=("hieutruong", "xa"), role__in=(Role.SCHOOL_ADMIN, Role.OFFICE_STAFF)
        ).select_related("user")
    }
    schools = Unit.objects.filter(pk__in=YearResult.objects.filter(school_year=year).values("unit_id"))
    recognisers = recognisers_of(school_ids=[s.pk for s in schools], school_year=year)
    for school in schools:
        results_propose(scope=as_user.get(school.pk, SYSTEM), school=school, school_year=year)
        by = recognisers.get(school.pk)
        results_recognise(scope=as_user.get(by.pk, SYSTEM) if by else SYSTEM, school=school, school_year=year)
    _certificates(year, current)
    return summary.people


def _certificates(year: SchoolYear, current: SchoolYear) -> None:
    """The demo school's commune issued last year's certificates (the others are left for the offices
    to issue from the certificates page, in the background); one was revoked after its result was
    corrected. This year, the demo school has computed and proposed its results: they wait for the
    commune's recognition."""
    school = RoleAssignment.objects.select_related("unit").get(user__username="hieutruong", role=Role.SCHOOL_ADMIN).unit
    commune = recogniser_of(school=school, school_year=year)
    if commune is None:
        return
    issuer = issuer_for(commune)  # its chairman signs (the layout an administrator keeps as data)
    issuer.layout = {**issuer.layout, "signer_name": SIGNER}
    issuer.save(update_fields=["layout"])
    certificates_issue(scope=scope_for_user(User.objects.get(username="xa")), unit=commune, school_year=year)
    revoked = (
        Certificate.objects.filter(result__unit=school, school_year=year)
        .exclude(person__user__username__in=ACCOUNTS)
        .order_by("sequence")
        .select_related("result")
        .last()
    )
    if revoked is not None:
        xa = scope_for_user(User.objects.get(username="xa"))
        result_correct(scope=xa, result=revoked.result, category="khong_hoan_thanh", reason=CORRECTION)
        certificate_revoke(scope=xa, certificate=revoked, reason=CORRECTION)
    principal = scope_for_user(User.objects.get(username="hieutruong"))
    results_propose(scope=principal, school=school, school_year=current)


def _key(programme: str, module_id: int | None, title: str) -> tuple:
    """A module's cohort, or a programme 01/02 topic's."""
    return (programme, module_id) if module_id else (programme, title)


def _cohorts(year: SchoolYear, province: Unit, keys: set[tuple[str, int | None, str]]) -> dict[tuple, Cohort]:
    """One closed cohort per programme 01/02 topic and per module, with an institution-assessed
    practice component (bài thu hoạch); keyed like the plan items they cover."""
    institution = Unit.objects.get(code=INSTITUTION[0])
    by_key: dict[tuple, Cohort] = {}
    wanted: dict[tuple, tuple[str, int | None, str]] = {}
    for programme, module_id, title in sorted(keys, key=lambda k: (k[0], k[1] or 0, k[2])):
        wanted.setdefault(_key(programme, module_id, title), (programme, module_id, title))
    made = Cohort.objects.bulk_create(
        [
            Cohort(
                school_year=year,
                organiser=province,
                name=f"{'Mô đun' if module_id else 'Nội dung'} {title[:200]} — năm học {year}",
                programme=programme,
                module_id=module_id,
                content_title="" if module_id else title,
                capacity=5000,
                institution=institution,
                status=CohortStatus.OPEN,
            )
            for programme, module_id, title in wanted.values()
        ]
    )
    for key, cohort in zip(wanted, made, strict=True):
        by_key[key] = cohort
    AssessmentComponent.objects.bulk_create(
        [
            AssessmentComponent(
                cohort=c,
                position=1,
                kind=ComponentKind.PRACTICE,
                name="Bài thu hoạch",
                assessed_by=Assessor.INSTITUTION,
            )
            for c in made
        ]
    )
    return by_key


def _learning(year: SchoolYear, cohorts: dict[tuple, Cohort], items: list[PlanItem]) -> None:
    """Each plan line taken in its cohort: LMS result, the core teacher's and the institution's marks,
    the practice score. About 96 % pass everything; the others fail one piece (a score under 5, a
    mark not given), so the year has people who did not complete, with their reasons."""
    components = {c.cohort_id: c for c in AssessmentComponent.objects.filter(cohort__in=list(cohorts.values()))}
    enrolments = []
    for it in items:
        cohort = cohorts[_key(it.programme, it.module_id, it.title)]
        enrolments.append(
            Enrolment(
                cohort=cohort,
                person_id=it.plan.person_id,
                unit_id=it.plan.unit_id,
                school_year=year,
                module_id=it.module_id,
                status=EnrolmentStatus.ENROLLED,
            )
        )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    finished = _at(year, 4, 20)
    lms, signals, scores = [], [], []
    for e in enrolments:
        draw = _draw(e.person_id, e.cohort_id)
        bd03 = e.module_id is not None
        lms.append(
            LmsResult(
                enrolment=e,
                progress=100,
                passed=draw >= 8,
                score=Decimal(60 + draw % 41) / 10,
                source=LmsSource.IMPORT,
                recorded_at=finished,
                reference="demo:previous-year",
            )
        )
        for party in (Assessor.MENTOR, Assessor.INSTITUTION):
            if party == Assessor.MENTOR and 8 <= draw < 14:
                continue  # the core teacher never marked it
            signals.append(
                CompletionSignal(
                    enrolment=e,
                    party=party,
                    passed=True,
                    source=SignalSource.MANUAL,
                    recorded_at=finished + timedelta(days=3),
                )
            )
        value = Decimal(30 + draw % 20) / 10 if 14 <= draw < 20 and bd03 else Decimal(55 + draw % 46) / 10
        scores.append(
            Score(
                enrolment=e,
                component=components[e.cohort_id],
                value=min(value, Decimal(10)),
                source=ScoreSource.IMPORT,
                entered_at=finished + timedelta(days=5),
            )
        )
    LmsResult.objects.bulk_create(lms, batch_size=2000)
    CompletionSignal.objects.bulk_create(signals, batch_size=2000)
    Score.objects.bulk_create(scores, batch_size=2000)
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(completion_checked_at=timezone.now())
