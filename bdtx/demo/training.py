"""Demo training of the current school year in Cao Bằng, after seed letter 003 (1395/SGDĐT-ĐTBD):
approved personal plans holding the focus modules, one blended 7-2-7 cohort per focus module
organised by the Sở and assessed by CĐSP Cao Bằng, learners enrolled from those plans and split
into core teachers' groups. Idempotent: a year that has the Sở's cohorts is left as it is.

The personal plans are demo data written in bulk (the plans have no submission history); cohorts,
trainers, enrolment and groups go through the training services with the Sở account's scope, so
they are checked and audited like ones made on the pages.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import FocusModule, Module, ProgrammeContent
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import INSTITUTION
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.organisations.models import Unit
from bdtx.people.models import Audience, Employment, EmploymentStatus
from bdtx.plans.models import Form, PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.models import Cohort, Degree, ScheduleTemplate, TrainerRole
from bdtx.training.services import cohort_create, enrolment_bulk_from_plans, groups_split, trainer_add

# The programme 03 modules each audience takes (seed 003's focus modules, 40 periods together);
# the GDPT 2018 modules are 40 periods each, so teachers are spread over modules 4, 5 and 9.
BD03: dict[str, list[list[tuple[str, str]]]] = {
    Audience.GVPT: [
        [("GDPT2018-GV-QD4660", "MĐ 04")],
        [("GDPT2018-GV-QD4660", "MĐ 05")],
        [("GDPT2018-GV-QD4660", "MĐ 09")],
    ],
    Audience.QLPT: [
        [("GDPT2018-QL-QD4660", "MĐ 04")],
        [("GDPT2018-QL-QD4660", "MĐ 05")],
        [("GDPT2018-QL-QD4660", "MĐ 09")],
    ],
    Audience.GVMN: [[("GVMN-TT12-2019", "GVMN 04"), ("GVMN-TT12-2019", "GVMN 19")]],
    Audience.QLMN: [[("QLMN-TT11-2019", "QLMN 11"), ("QLMN-TT11-2019", "QLMN 13")]],
}
# One cohort is kept small, so the demo shows a waiting list.
SMALL_COHORT = ("GDPT2018-GV-QD4660", "MĐ 09")
SMALL_CAPACITY = 500
TRAINERS = [
    ("Hoàng Văn Thắng", TrainerRole.LECTURER, Degree.MASTER, 8, True),
    ("Nông Thị Minh Phương", TrainerRole.REPORTER, Degree.BACHELOR, 2, True),
]


def _plans(province: Unit, year: SchoolYear, modules: dict[tuple[str, str], Module]) -> int:
    """Approved plans for the province's working staff of the year who have none: programme 01 and 02
    topics of the year, and their audience's focus modules (spread by person)."""
    regime = Regime.objects.for_year(year)
    topics = list(
        ProgrammeContent.objects.filter(
            unit__path__in=[province.parent.path, province.path] if province.parent else [province.path],
            school_year=year,
        ).order_by("programme", "position", "id")
    )
    employments = (
        Employment.objects.within(province.path)
        .filter(school_year=year, status=EmploymentStatus.WORKING)
        .exclude(Exists(PersonalPlan.objects.filter(person=OuterRef("person_id"), school_year=year)))
        .order_by("person_id")
        .values_list("person_id", "unit_id", "staff_type", "school_level", "unit__levels")
    )
    now = timezone.now()
    rows = list(employments)
    plans = [
        PersonalPlan(
            person_id=person_id,
            unit_id=unit_id,
            school_year=year,
            regime=regime,
            status=PlanStatus.APPROVED,
            submitted_at=now,
            decided_at=now,
            comment="demo",
        )
        for person_id, unit_id, *_ in rows
    ]
    PersonalPlan.objects.bulk_create(plans, batch_size=1000)
    ids = dict(
        PersonalPlan.objects.filter(school_year=year, person_id__in=[r[0] for r in rows]).values_list("person_id", "pk")
    )
    items: list[PlanItem] = []
    for i, (person_id, _unit, staff_type, level, unit_levels) in enumerate(rows):
        plan_id = ids[person_id]
        for t in topics:
            items.append(
                PlanItem(
                    plan_id=plan_id, programme=t.programme, content=t, title=t.title, hours=t.hours, form=Form.DISTANCE
                )
            )
        school_level = level or next((lv for lv in unit_levels.split(",") if lv), "")
        choices = BD03[Audience.for_staff(staff_type=staff_type, school_level=school_level)]
        for key in choices[i % len(choices)]:
            m = modules[key]
            items.append(
                PlanItem(
                    plan_id=plan_id, programme=Programme.BD03, module=m, title=m.title, hours=m.hours_total or 20,
                    form=Form.BLENDED,
                )
            )  # fmt: skip
    PlanItem.objects.bulk_create(items, batch_size=2000)
    return len(plans)


@transaction.atomic
def training_demo_load() -> int:
    """Cohorts of the current school year for Cao Bằng's focus modules; returns the cohorts made."""
    year = school_year_current()
    province = Unit.objects.get(code=CAO_BANG)
    if Cohort.objects.filter(organiser=province, school_year=year).exists():
        return 0
    keys = {key for options in BD03.values() for option in options for key in option}
    modules = {
        (m.catalog.code, m.code): m
        for m in Module.objects.select_related("catalog")
        if (m.catalog.code, m.code) in keys
    }
    _plans(province, year, modules)
    scope = scope_for_user(User.objects.get(username="so"))
    institution = Unit.objects.get(code=INSTITUTION[0])
    template = ScheduleTemplate.objects.get(code="7-2-7")
    focus = (
        FocusModule.objects.filter(unit=province, school_year=year)
        .select_related("module", "module__catalog")
        .order_by("priority")
    )
    made = 0
    start = date(year.start_year, 12, 1)
    for n, f in enumerate(focus):
        m = f.module
        key = (m.catalog.code, m.code)
        audience = "CBQL" if m.audience in (Audience.QLPT, Audience.QLMN) else "GV"
        cohort = cohort_create(
            scope=scope,
            organiser=province,
            school_year=year,
            name=f"{audience} — {m.code}: {m.title}"[:255],
            programme=Programme.BD03,
            module=m,
            form=Form.BLENDED,
            capacity=SMALL_CAPACITY if key == SMALL_COHORT else 2000,
            institution=institution,
            template=template,
            starts_on=start if n % 2 == 0 else date(year.start_year + 1, 2, 1),
        )
        for name, role, degree, years, it in TRAINERS:
            trainer_add(
                scope=scope,
                cohort=cohort,
                full_name=name,
                role=role,
                degree=degree,
                years_experience=years,
                it_skills=it,
            )
        enrolment_bulk_from_plans(scope=scope, cohort=cohort)
        groups_split(scope=scope, cohort=cohort)
        made += 1
    return made
