"""A person's BDTX record: who may open it (the person, managers of their current unit; 404 outside,
403 inside without the permission), what each year shows, a constant number of queries whatever
the years and modules, and the PDF with its Vietnamese text exact."""

import subprocess
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import Person
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.records.selectors import record_build, record_employments
from bdtx.regimes.models import Programme, Regime
from bdtx.results.models import ResultSource, ResultStatus, YearResult
from bdtx.training.models import (
    AssessmentComponent,
    Assessor,
    Attendance,
    Cohort,
    CohortPhase,
    CohortSession,
    CompletionSignal,
    Enrolment,
    Score,
    SignalSource,
    SupportGroup,
)
from bdtx.training.selectors import mentor_hours

pytestmark = pytest.mark.django_db


def url(person: Person, name: str = "records:detail") -> str:
    return reverse(name, args=[person.uuid])


def year_of(person: Person, world, mods, start_year: int, *, module=None) -> None:  # type: ignore[no-untyped-def]
    """A full year of `person` at th_a1: an approved plan with a module, an enrolment in a cohort with a
    phase, a session attended, a score, the core teacher's mark, and a computed result."""
    sy = SchoolYear.of(start_year)
    unit = world.u("th_a1")
    module = module or mods.gv
    plan, _new = PersonalPlan.objects.get_or_create(
        person=person,
        school_year=sy,
        defaults={
            "unit": unit,
            "regime": Regime.objects.for_year(sy),
            "status": PlanStatus.APPROVED,
            "decided_at": timezone.now(),
        },
    )
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=module, title=module.title, hours=40)
    cohort = Cohort.objects.create(
        school_year=sy,
        organiser=world.u("so_a"),
        name=f"Lớp {module.code} {start_year}",
        programme=Programme.BD03,
        module=module,
        form="ban_tap_trung",
        capacity=50,
    )
    CohortPhase.objects.create(
        cohort=cohort, kind="self_study", starts_on=date(start_year, 10, 1), ends_on=date(start_year, 10, 7), days=7
    )
    session = CohortSession.objects.create(
        cohort=cohort,
        venue="Hội trường",
        starts_at=datetime(start_year, 10, 8, 1, tzinfo=UTC),
        ends_at=datetime(start_year, 10, 8, 4, tzinfo=UTC),
    )
    e = Enrolment.objects.create(cohort=cohort, person=person, unit=unit, school_year=sy, module=module, completed=True)
    Attendance.objects.create(session=session, enrolment=e, mark="present", source="roster")
    component = AssessmentComponent.objects.create(
        cohort=cohort, kind="practice", name="Bài thu hoạch", assessed_by="mentor"
    )
    Score.objects.create(
        enrolment=e, component=component, value=Decimal("8.5"), source="grid", entered_at=timezone.now()
    )
    CompletionSignal.objects.create(
        enrolment=e, party=Assessor.MENTOR, passed=True, source=SignalSource.MANUAL, recorded_at=timezone.now()
    )
    YearResult.objects.get_or_create(
        person=person,
        school_year=sy,
        defaults={
            "unit": unit,
            "plan": plan,
            "regime": plan.regime,
            "category": "hoan_thanh",
            "label": "Hoàn thành kế hoạch BDTX",
            "completed": True,
            "computed_at": timezone.now(),
        },
    )


def test_the_person_opens_their_own_record(world, mods, login):
    teacher = world.people["teacher_a1"]
    year_of(teacher, world, mods, 2026)
    r = login(world.users["teacher_a1"]).get(url(teacher))
    assert r.status_code == 200
    html = r.content.decode()
    assert teacher.full_name in html and "Hoàn thành kế hoạch BDTX" in html and 'data-year="2026"' in html
    assert ("Bài thu hoạch" in html and "8,5" in html) or "8.5" in html


def test_the_principal_of_their_school_opens_it(world, login):
    assert login(world.users["principal_a1"]).get(url(world.people["teacher_a1"])).status_code == 200


def test_another_province_gets_404(world, login):
    assert login(world.users["principal_b1"]).get(url(world.people["teacher_a1"])).status_code == 404
    assert login(world.users["so_b"]).get(url(world.people["teacher_a1"], "records:pdf")).status_code == 404


def test_a_colleague_without_a_managers_role_gets_404(world, login):
    assert login(world.users["mentor_a1"]).get(url(world.people["teacher_a1"])).status_code == 404


def test_inside_the_scope_without_the_permission_to_see_staff_is_403(world, login):
    """A training institution's staff see the people of their institution, but not their staff records."""
    person = EmploymentFactory(unit=world.u("cs_dt")).person
    assert login(world.users["institution"]).get(url(person)).status_code == 403
    assert login(world.users["institution"]).get(url(person, "records:pdf")).status_code == 403


def test_a_school_the_person_left_no_longer_reads_their_record(world, login):
    """Access follows the person's current unit: a teacher now at thcs_a2 who once worked at th_a1."""
    person = world.people["teacher_a2"]
    EmploymentFactory(person=person, unit=world.u("th_a1"), school_year=SchoolYear.of(2024))
    assert login(world.users["principal_a1"]).get(url(person)).status_code == 403
    assert login(world.users["principal_a2"]).get(url(person)).status_code == 200


def test_a_year_with_only_an_imported_result_shows_its_component_scores(world, login):
    teacher = world.people["teacher_a1"]
    sy = SchoolYear.of(2017)
    YearResult.objects.create(
        person=teacher,
        school_year=sy,
        unit=world.u("th_a1"),
        regime=Regime.objects.for_year(sy),
        category="kha",
        label="Khá",
        completed=True,
        average=Decimal("8.2"),
        source=ResultSource.IMPORTED,
        status=ResultStatus.RECOGNISED,
        components={"nd1": "8.00", "nd2": "8.50", "nd3": ["8.00", "8.20"]},
    )
    html = login(world.users["principal_a1"]).get(url(teacher)).content.decode()
    assert 'data-year="2017"' in html and "data-imported" in html and "Khá" in html
    assert "Điểm nội dung bồi dưỡng 1" in html and "8,00; 8,20" in html


def test_queries_do_not_grow_with_the_years_and_modules(world, mods, login):
    one, three = EmploymentFactory(unit=world.u("th_a1")).person, EmploymentFactory(unit=world.u("th_a1")).person
    year_of(one, world, mods, 2026)
    for y in (2024, 2025, 2026):
        year_of(three, world, mods, y)
        year_of(three, world, mods, y, module=mods.ql)  # two modules a year
    client = login(world.users["principal_a1"])
    counts = []
    for person in (one, three):
        with CaptureQueriesContext(connection) as q:
            r = client.get(url(person))
        assert r.status_code == 200
        counts.append(len(q))
    assert r.content.decode().count("data-enrolment") == 6
    assert counts[0] == counts[1], counts


def test_core_teacher_hours_are_those_training_counts(world, mods, login):
    mentor = world.people["mentor_a1"]
    sy = SchoolYear.of(2026)
    cohort = Cohort.objects.create(
        school_year=sy,
        organiser=world.u("so_a"),
        name="Lớp GV4",
        programme=Programme.BD03,
        module=mods.gv,
        form="ban_tap_trung",
        capacity=50,
    )
    group = SupportGroup.objects.create(cohort=cohort, number=1, name="Nhóm 1", mentor=mentor)
    for _ in range(5):
        p = EmploymentFactory(unit=world.u("th_a1")).person
        Enrolment.objects.create(
            cohort=cohort, person=p, unit=world.u("th_a1"), school_year=sy, module=mods.gv, group=group
        )
    record = record_build(person=mentor, employments=record_employments(person=mentor))
    year = next(y for y in record.years if y.school_year.pk == 2026)
    expected = mentor_hours(person=mentor, school_year=sy)
    assert year.mentor_learners == expected.learners == 5
    assert year.mentor_hours == expected.hours > 0
    html = login(world.users["mentor_a1"]).get(url(mentor)).content.decode()
    assert "data-mentor-hours" in html


def test_the_person_page_and_the_landing_page_link_to_the_record(world, login):
    teacher = world.people["teacher_a1"]
    html = login(world.users["principal_a1"]).get(reverse("people:detail", args=[teacher.uuid])).content.decode()
    assert url(teacher) in html
    assert url(teacher) in login(world.users["teacher_a1"]).get(reverse("home:home")).content.decode()


def test_the_pdf_holds_the_record_with_its_vietnamese_exact(world, mods, login, tmp_path):
    teacher = world.people["teacher_a1"]
    year_of(teacher, world, mods, 2026)
    r = login(world.users["teacher_a1"]).get(url(teacher, "records:pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    f = tmp_path / "r.pdf"
    f.write_bytes(r.content)
    text = unicodedata.normalize(
        "NFC", subprocess.run(["pdftotext", "-layout", str(f), "-"], capture_output=True, check=True).stdout.decode()
    )
    assert "HỒ SƠ BỒI DƯỠNG THƯỜNG XUYÊN" in text
    assert teacher.full_name in text and "Hoàn thành kế hoạch BDTX" in text and "Trường Tiểu học Đông" in text
    assert "01/10/2026" in text and "Bài thu hoạch: 8,5" in text


def test_the_record_shows_each_years_certificate_and_a_revoked_one_with_its_date(world, mods, login):
    from bdtx.certificates.services import certificate_issue, certificate_revoke
    from bdtx.core.scope import SYSTEM

    teacher = world.people["teacher_a1"]
    for y in (2024, 2025):
        year_of(teacher, world, mods, y)
    YearResult.objects.filter(person=teacher).update(status=ResultStatus.RECOGNISED, recognised_unit=world.u("xa_a1"))
    issued = [
        certificate_issue(scope=SYSTEM, result=r)
        for r in YearResult.objects.filter(person=teacher).select_related("unit", "person", "school_year")
    ]
    assert all(c is not None for c in issued)
    old = next(c for c in issued if c is not None and c.school_year.start_year == 2024)
    certificate_revoke(scope=SYSTEM, certificate=old, reason="Cấp nhầm")
    html = login(world.users["teacher_a1"]).get(url(teacher)).content.decode()
    assert html.count("data-certificate") == 2
    assert all(c is not None and c.number in html for c in issued)
    assert "Đã thu hồi" in html and timezone.localdate().strftime("%d/%m/%Y") in html
    assert reverse("certificates:pdf", args=[old.uuid]) in html  # the person downloads their own
    principal = login(world.users["principal_a1"]).get(url(teacher)).content.decode()
    assert reverse("certificates:pdf", args=[old.uuid]) not in principal  # not theirs to download
    assert reverse("certificates:verify", args=[old.verify_token]) in principal
