"""Demo training of the current school year in Cao Bằng, after seed letter 003 (1395/SGDĐT-ĐTBD):
one blended 7-2-7 cohort per focus module organised by the Sở and assessed by CĐSP Cao Bằng,
learners enrolled from the approved personal plans the demo's plans (`bdtx.demo.plans`, loaded
first) hold that module in, split into core teachers' groups. Idempotent: a year that has the
Sở's cohorts is left as it is. Cohorts, trainers, enrolment and groups go through the training
services with the Sở account's scope, so they are checked and audited like ones made on the pages.
"""

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import FocusModule
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import INSTITUTION
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.organisations.models import Unit
from bdtx.people.models import Audience
from bdtx.plans.models import Form
from bdtx.regimes.models import Programme
from bdtx.training.models import Cohort, Degree, ScheduleTemplate, TrainerRole
from bdtx.training.services import cohort_create, enrolment_bulk_from_plans, groups_split, trainer_add

# One cohort is kept small, so the demo shows a waiting list.
SMALL_COHORT = ("GDPT2018-GV-QD4660", "MĐ 09")
SMALL_CAPACITY = 150
# The teachers' module 4 ran in October: `bdtx.demo.delivery` gives it what a cohort that ran has.
RAN = ("GDPT2018-GV-QD4660", "MĐ 04")
RAN_STARTS = (10, 5)
TRAINERS = [
    ("Hoàng Văn Thắng", TrainerRole.LECTURER, Degree.MASTER, 8, True),
    ("Nông Thị Minh Phương", TrainerRole.REPORTER, Degree.BACHELOR, 2, True),
]


@transaction.atomic
def training_demo_load() -> int:
    """Cohorts of the current school year for Cao Bằng's focus modules; returns the cohorts made."""
    year = school_year_current()
    province = Unit.objects.get(code=CAO_BANG)
    if Cohort.objects.filter(organiser=province, school_year=year).exists():
        return 0
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
            starts_on=date(year.start_year, *RAN_STARTS)
            if key == RAN
            else start
            if n % 2 == 0
            else date(year.start_year + 1, 2, 1),
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
