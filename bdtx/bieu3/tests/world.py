"""A small world for Biểu 3, counted by hand: the commune office xa_a2 (UBND xã Tây) and its school
thcs_a2, two modules, two cohorts, a survey.

People of the office's subtree (general school unless said), all employed in 2026:

    P1 F Kinh   — plans GV4+GV5; cohort A, completed; group 1; practice graded; answered (5)
    P2 F DTTS   — plans GV4+GV5; cohort A;             group 1; practice to grade; did not answer
    P3 F Kinh   — plan GV4;      cohort A;             group 2 (unmarked); practice re-handed, to grade; answered (4)
    P4 F none   — plan GV4;      cohort A withdrawn (not active)
    P5 M DTTS   — difficult area (own post); plans GV4+GV5; cohort A, completed; group 2; practice re-graded;
                  did not answer
    P6 M Kinh   — plan GV4; cohort A on the waiting list
    P7 M Kinh   — plan GV4 not approved (submitted)
    P8 F Kinh   — preschool (school level MN); plan GV4; cohort A
    P9 F Kinh   — retired; plan GV4
    M1 F Kinh   — core teacher of group 1 (marked P1 and P2): finished
    M2 M DTTS   — core teacher of group 2, difficult area (marked P5, not P3): not finished
Outside the subtree (thpt_a, under the Sở): O1…O4, plan GV4, cohort A; O1, O2, O3 answered (3, 4, 2).
Cohort B (GV5) runs after the period; P1 is enrolled in it.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.utils import timezone

from bdtx.catalog.models import Catalog, Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import Audience, EmploymentStatus, Gender, Person
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.surveys.models import Answer, Participation, Questionnaire, Submission, Survey
from bdtx.surveys.services import QuestionSpec, questionnaire_create
from bdtx.training.models import (
    AssessmentComponent,
    Assessor,
    Cohort,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    PracticeWork,
    ScheduleTemplate,
    SignalSource,
    SupportGroup,
)
from bdtx.training.services import cohort_create

YEAR = 2026
PERIOD = (date(2026, 9, 1), date(2026, 12, 31))
OPEN_ANSWERS = ["Rất bổ ích", "Cần thêm ví dụ <b>&"]


@dataclass
class Bieu3World:
    year: SchoolYear
    gv4: Module
    gv5: Module
    cohort_a: Cohort
    cohort_b: Cohort
    people: dict[str, Person] = field(default_factory=dict)


def _person(world, key: str, gender: str, eth: str | None, unit: str = "thcs_a2", **emp: object) -> Person:  # type: ignore[no-untyped-def]
    emp.setdefault("school_level", "THCS")
    return EmploymentFactory(
        unit=world.u(unit),
        school_year=SchoolYear.of(YEAR),
        person__gender=gender,
        person__ethnicity_id=eth,
        person__given_name=key,
        **emp,
    ).person


def _plan(person: Person, unit, *modules: Module, status: str = PlanStatus.APPROVED) -> None:  # type: ignore[no-untyped-def]
    sy = SchoolYear.of(YEAR)
    plan = PersonalPlan.objects.create(
        person=person, unit=unit, school_year=sy, regime=Regime.objects.for_year(sy), status=status
    )
    for m in modules:
        PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=m, title=m.title, hours=40)


def _enrol(cohort: Cohort, person: Person, unit, status: str = EnrolmentStatus.ENROLLED, **kw) -> Enrolment:  # type: ignore[no-untyped-def]
    return Enrolment.objects.create(
        cohort=cohort,
        person=person,
        unit=unit,
        school_year=cohort.school_year,
        module=cohort.module,
        status=status,
        **kw,
    )


def build(world) -> Bieu3World:  # type: ignore[no-untyped-def]
    sy = SchoolYear.of(YEAR)
    cat = Catalog.objects.create(
        code="TEST-B3", name="Danh mục thử", circular="TT thử", audience=Audience.GVPT, first_year=2020
    )
    gv4 = Module.objects.create(catalog=cat, code="GV4", title="Mô đun 4", audience=Audience.GVPT, hours_total=40)
    gv5 = Module.objects.create(catalog=cat, code="GV5", title="Mô đun 5", audience=Audience.GVPT, hours_total=40)
    template = ScheduleTemplate.objects.get(code="7-2-7")

    def make_cohort(name: str, module: Module, starts_on: date) -> Cohort:
        return cohort_create(
            scope=SYSTEM,
            organiser=world.u("xa_a2"),
            school_year=sy,
            name=name,
            programme=Programme.BD03,
            module=module,
            form="ban_tap_trung",
            capacity=100,
            template=template,
            starts_on=starts_on,
        )

    a = make_cohort("Lớp mô đun 4", gv4, date(2026, 10, 5))
    b = make_cohort("Lớp mô đun 5", gv5, date(2027, 3, 1))
    w = Bieu3World(year=sy, gv4=gv4, gv5=gv5, cohort_a=a, cohort_b=b)
    school, outside = world.u("thcs_a2"), world.u("thpt_a")
    p = w.people
    p["P1"] = _person(world, "P1", Gender.FEMALE, "01")
    p["P2"] = _person(world, "P2", Gender.FEMALE, "02")
    p["P3"] = _person(world, "P3", Gender.FEMALE, "01")
    p["P4"] = _person(world, "P4", Gender.FEMALE, None)
    p["P5"] = _person(world, "P5", Gender.MALE, "03", difficult_area=True)
    p["P6"] = _person(world, "P6", Gender.MALE, "01")
    p["P7"] = _person(world, "P7", Gender.MALE, "01")
    p["P8"] = _person(world, "P8", Gender.FEMALE, "01", school_level="MN")
    p["P9"] = _person(world, "P9", Gender.FEMALE, "01", status=EmploymentStatus.RETIRED)
    p["M1"] = _person(world, "M1", Gender.FEMALE, "01", is_mentor=True)
    p["M2"] = _person(world, "M2", Gender.MALE, "04", is_mentor=True, difficult_area=True)
    for key in ("O1", "O2", "O3", "O4"):
        p[key] = _person(world, key, Gender.FEMALE, "02", unit="thpt_a", school_level="THPT")

    for key in ("P1", "P2", "P5"):
        _plan(p[key], school, gv4, gv5)
    for key in ("P3", "P4", "P6", "P8", "P9"):
        _plan(p[key], school, gv4)
    _plan(p["P7"], school, gv4, status=PlanStatus.SUBMITTED)
    for key in ("O1", "O2", "O3", "O4"):
        _plan(p[key], outside, gv4)

    g1 = SupportGroup.objects.create(cohort=a, number=1, name="Nhóm 1", mentor=p["M1"])
    g2 = SupportGroup.objects.create(cohort=a, number=2, name="Nhóm 2", mentor=p["M2"])
    e = {
        "P1": _enrol(a, p["P1"], school, group=g1, completed=True),
        "P2": _enrol(a, p["P2"], school, group=g1),
        "P3": _enrol(a, p["P3"], school, group=g2),
        "P5": _enrol(a, p["P5"], school, group=g2, completed=True),
        "P6": _enrol(a, p["P6"], school, status=EnrolmentStatus.WAITING),
        "P8": _enrol(a, p["P8"], school),
    }
    _enrol(a, p["P4"], school, status=EnrolmentStatus.WITHDRAWN)
    for key in ("O1", "O2", "O3", "O4"):
        e[key] = _enrol(a, p[key], outside, group=g1, completed=True)
    _enrol(b, p["P1"], school)
    # the core teachers' marks: M1 marked P1, P2 (and the outsiders of group 1); M2 only P5
    now = timezone.now()
    for key in ("P1", "P2", "P5", "O1", "O2", "O3", "O4"):
        CompletionSignal.objects.create(
            enrolment=e[key], party=Assessor.MENTOR, passed=key != "P2", source=SignalSource.MANUAL, recorded_at=now
        )
    # practice work for the core teacher's component
    practice = AssessmentComponent.objects.get(cohort=a, assessed_by=Assessor.MENTOR)

    def work(key: str, graded: bool, at: datetime) -> None:
        pw = PracticeWork.objects.create(
            enrolment=e[key],
            component=practice,
            file="practice/x.pdf",
            filename="x.pdf",
            score=8 if graded else None,
            graded_at=now if graded else None,
        )
        PracticeWork.objects.filter(pk=pw.pk).update(created_at=at)

    work("P1", True, datetime(2026, 11, 1, tzinfo=UTC))
    work("P2", False, datetime(2026, 11, 1, tzinfo=UTC))
    work("P3", True, datetime(2026, 11, 1, tzinfo=UTC))
    work("P3", False, datetime(2026, 11, 5, tzinfo=UTC))  # handed in again: to grade
    work("P5", False, datetime(2026, 11, 1, tzinfo=UTC))
    work("P5", True, datetime(2026, 11, 5, tzinfo=UTC))  # the latest is graded
    # the survey of cohort A: 5 answers (P1, P3, O1, O2, O3) of its 9 enrolled learners
    qn: Questionnaire = questionnaire_create(
        scope=SYSTEM,
        owner=None,
        title="Phiếu Biểu 3",
        status="published",
        questions=[
            QuestionSpec("likert5", "Tôi hài lòng với mô đun.", counts_for_satisfaction=True),
            QuestionSpec("open", "Góp ý?", required=False),
        ],
    )
    likert, open_q = qn.questions.order_by("position")
    survey = Survey.objects.create(
        questionnaire=qn, cohort=a, opens_on=date(2026, 11, 20), closes_on=date(2026, 12, 20)
    )
    answers = {"P1": (5, OPEN_ANSWERS[0]), "P3": (4, OPEN_ANSWERS[1]), "O1": (3, ""), "O2": (4, ""), "O3": (2, "")}
    for key, (value, text) in answers.items():
        sub = Submission.objects.create(survey=survey)
        Answer.objects.create(submission=sub, question=likert, value=value)
        if text:
            Answer.objects.create(submission=sub, question=open_q, text=text)
        Participation.objects.create(survey=survey, person=p[key], unit=e[key].unit, answered=True)
    return w
