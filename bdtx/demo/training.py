"""Demo training of the current school year in Cao Bằng, after seed letter 003 (1395/SGDĐT-ĐTBD):
one blended 7-2-7 cohort per focus module organised by the Sở and assessed by CĐSP Cao Bằng,
learners enrolled from the approved personal plans the demo's plans (`bdtx.demo.plans`, loaded
first) hold that module in, split into core teachers' groups. Idempotent: a year that has the
Sở's cohorts is left as it is. Cohorts, trainers, enrolment and groups go through the training
services with the Sở account's scope, so they are checked and audited like ones made on the pages.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import FocusModule
from bdtx.core.scope import SYSTEM, Scope
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import INSTITUTION
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.organisations.models import Unit
from bdtx.people.models import Audience, Person
from bdtx.plans.models import Form
from bdtx.regimes.models import Programme
from bdtx.training.models import (
    Assessor,
    Cohort,
    ComponentKind,
    Degree,
    Enrolment,
    EnrolmentStatus,
    ScheduleTemplate,
    SupportGroup,
    TrainerRole,
)
from bdtx.training.scores import ScoreIn, practice_grade, practice_submit, scores_import
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
        _scores_and_practice(scope, cohort)
        made += 1
    return made


# A few scores of the practice work (some under the pass mark) and, for three learners per cohort
# whose core teacher has an account, handed-in work: two graded by the core teacher, one waiting.
DEMO_SCORES = ["8.5", "7", "6.25", "9", "4.5", "5", "7.75", "3.5", "8", "6.5"]
DEMO_SCORED = 30
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DEMO_GRADES = [
    ("8.5", "Bài thu hoạch đầy đủ, có minh chứng vận dụng tốt."),
    ("4.5", "Cần bổ sung kế hoạch bài dạy minh họa."),
]


def _scores_and_practice(scope: Scope, cohort: Cohort) -> None:
    practice = cohort.components.filter(kind=ComponentKind.PRACTICE).first()
    if practice is None:
        return
    enrolled = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).order_by("id")
    _account_mentor_leads_a_group(cohort)
    # the first learners of the cohort whose core teacher has an account hand their work in
    handing_in = list(
        enrolled.filter(group__mentor__user__isnull=False).select_related("person", "unit", "group", "cohort")[:3]
    )
    skip = {e.pk for e in handing_in}
    ids = [pk for pk in enrolled.values_list("pk", flat=True)[: DEMO_SCORED + 3] if pk not in skip][:DEMO_SCORED]
    # the organiser enters the others' scores (as from the scores file of the institution)
    scores_import(
        scope=scope,
        cohort=cohort,
        scores=[
            ScoreIn(enrolment_id=pk, component_id=practice.pk, value=Decimal(DEMO_SCORES[i % len(DEMO_SCORES)]))
            for i, pk in enumerate(ids)
        ],
    )
    for i, e in enumerate(handing_in):
        work = practice_submit(
            scope=SYSTEM,
            enrolment=e,
            component=practice,
            upload=SimpleUploadedFile("bai-thu-hoach.pdf", DEMO_PDF, content_type="application/pdf"),
            note="Bài thu hoạch mô đun",
        )
        mentor_id = e.group.mentor_id if e.group is not None else None
        mentor = User.objects.filter(person__id=mentor_id or 0).first()
        if i < len(DEMO_GRADES) and mentor is not None and practice.assessed_by == Assessor.MENTOR:
            score, comment = DEMO_GRADES[i]
            practice_grade(scope=scope_for_user(mentor), work=work, score=score, comment=comment)


def _account_mentor_leads_a_group(cohort: Cohort) -> None:
    """The demo's core teacher account (`cotcan`) leads the first group of the first cohort it does not
    learn in, so that signing in as them shows work to grade (the split picks the nearest core teachers,
    who have no account in the demo)."""
    if SupportGroup.objects.filter(cohort__school_year=cohort.school_year, mentor__user__isnull=False).exists():
        return
    mentor = (
        Person.objects.filter(
            user__isnull=False, employments__is_mentor=True, employments__school_year=cohort.school_year
        )
        .exclude(enrolments__cohort=cohort)
        .order_by("pk")
        .first()
    )
    group = SupportGroup.objects.filter(cohort=cohort, members__isnull=False).order_by("number").first()
    if mentor is not None and group is not None:
        SupportGroup.objects.filter(pk=group.pk).update(mentor=mentor)
