"""The demo province that `make run` loads: realistic, complete, with history, idempotent."""

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import ACCOUNT_SCHOOL, HISTORIC_DISTRICT, PROVINCE_CODE
from bdtx.demo.lang_son import PROVINCE_CODE as LANG_SON
from bdtx.demo.province import DEMO_ACCOUNTS, DEMO_PASSWORD, REFORM_DAY, DemoConflict, demo_codes, demo_is_loaded
from bdtx.demo.staff import DemoSchool, StaffGenerator
from bdtx.organisations.models import SchoolLevel, SchoolType, Unit, UnitKind, UnitPlacement
from bdtx.organisations.selectors import parent_on
from bdtx.people.models import Employment, Person, Position
from bdtx.people.selectors import StaffFilter, staff_counts, staff_list
from bdtx.people.validators import personal_id_problem
from conftest import remove_world

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the full-size demo once for the module, and roll it back afterwards.

    The demo goes into a database without the shared test world, as `make run` loads it."""
    with django_db_blocker.unblock(), transaction.atomic():
        remove_world()
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _counts() -> dict[str, int]:
    return {
        "units": Unit.objects.count(),
        "placements": UnitPlacement.objects.count(),
        "people": Person.objects.count(),
        "employments": Employment.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "audit": AuditLog.objects.count(),
    }


def test_the_province_has_communes_schools_centres_and_a_training_institution(demo):
    province = Unit.objects.get(code=PROVINCE_CODE)
    assert "Cao Bằng" in province.name
    assert province.parent.code == "BGDDT"
    assert Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province).count() >= 3
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL).within(province.path)
    assert schools.count() >= 40
    for level in SchoolLevel.MN, SchoolLevel.TH, SchoolLevel.THCS, SchoolLevel.THPT:
        assert schools.with_level(level).exists(), level
    assert schools.filter(levels=",TH,THCS,", name__startswith="Trường PTDTBT").exists()
    boarding = schools.get(school_type=SchoolType.ETHNIC_BOARDING, levels=",THCS,THPT,")
    assert boarding.parent == province
    assert schools.filter(ownership="private").exists()
    assert schools.filter(difficult_area=True).exists()
    assert schools.with_level(SchoolLevel.THPT).filter(parent=province).count() >= 5
    assert Unit.objects.filter(kind=UnitKind.CENTRE).within(province.path).exists()
    assert Unit.objects.get(kind=UnitKind.INSTITUTION, code="CDSP-CB").parent == province


def test_schools_of_the_old_district_moved_to_communes_on_1_july_2025(demo):
    district = Unit.objects.get(code=HISTORIC_DISTRICT)
    assert district.kind == UnitKind.DISTRICT
    assert district.dissolved_on == REFORM_DAY
    assert not district.children.exists()
    school = Unit.objects.get(code=ACCOUNT_SCHOOL)
    assert parent_on(unit=school, day=SchoolYear.objects.get(pk=2024).ends_on) == district
    commune = parent_on(unit=school, day=SchoolYear.objects.get(pk=2025).ends_on)
    assert commune.kind == UnitKind.COMMUNE
    assert school.parent == commune


def test_staff_this_year_and_last_year_with_a_little_turnover(demo):
    current = school_year_current().pk
    now = set(Employment.objects.filter(school_year=current).values_list("person_id", "unit_id"))
    before = set(Employment.objects.filter(school_year=current - 1).values_list("person_id", "unit_id"))
    assert len(now) >= 2000
    assert len(before) >= 2000
    people_now, people_before = {p for p, _ in now}, {p for p, _ in before}
    stayed = people_now & people_before
    assert len(stayed) > 0.9 * len(people_now)
    assert 0 < len(people_now - people_before) < 0.1 * len(people_now)  # new this year
    moved = {p for p, u in now if p in people_before and (p, u) not in before}
    assert 0 < len(moved) < 0.1 * len(people_now)
    assert (
        Employment.objects.filter(school_year=SchoolYear.of(2024)).count() >= 2000
    )  # the last year under the districts


def test_staff_look_like_cao_bang_teachers(demo):
    province = Unit.objects.get(code=PROVINCE_CODE)
    emps = list(
        Employment.objects.filter(
            school_year=school_year_current(), unit__path__startswith=province.path
        ).select_related("person")
    )
    n = len(emps)
    minority = sum(e.person.ethnicity_id != "01" for e in emps) / n
    assert 0.70 <= minority <= 0.92
    teachers = [e for e in emps if e.position == Position.TEACHER]
    female = sum(e.person.gender == "F" for e in teachers) / len(teachers)
    assert 0.6 <= female <= 0.8
    preschool = [e for e in teachers if e.school_level == SchoolLevel.MN]
    assert sum(e.person.gender == "F" for e in preschool) / len(preschool) > 0.95
    assert 0.03 <= sum(e.is_mentor for e in emps) / n <= 0.08
    assert all(e.subjects for e in teachers if e.school_level == SchoolLevel.THPT)
    family_names = {e.person.family_name for e in emps}
    assert {"Nông", "Hoàng", "Lục", "Bế", "Giàng", "Bàn"} <= family_names
    people = [e.person for e in emps]
    assert len({p.personal_id for p in people}) == n
    assert all(personal_id_problem(p.personal_id, gender=p.gender, birth=p.date_of_birth) is None for p in people)
    assert all(len(p.phone) == 10 and p.phone[:2] in ("03", "08", "09") for p in people if p.phone)


def test_each_school_has_one_principal(demo):
    current = school_year_current()
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL, code__in=demo_codes())
    principals = Employment.objects.filter(school_year=current, position=Position.PRINCIPAL)
    assert sorted(principals.values_list("unit_id", flat=True)) == sorted(schools.values_list("pk", flat=True))


def test_every_role_has_a_demo_account_that_can_sign_in(demo, client):
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    school = Unit.objects.get(code=ACCOUNT_SCHOOL)
    for username, position in (("hieutruong", Position.PRINCIPAL), ("giaovien", Position.TEACHER)):
        person = Person.objects.get(user__username=username)
        assert person.employments.get(school_year=school_year_current()).unit == school
        assert person.employments.get(school_year=school_year_current()).position == position
    assert Person.objects.get(user__username="cotcan").employments.get(school_year=school_year_current()).is_mentor
    principal = Person.objects.select_related("user").get(user__username="hieutruong")
    assert principal.user.get_full_name() == principal.full_name  # Vietnamese order: family, middle, given
    assert client.login(username="so", password=DEMO_PASSWORD)
    assert client.get("/").status_code == 200
    response = client.get("/people/", {"q": "nguyen"})
    assert response.status_code == 200
    assert "Nguyễn" in response.content.decode()


def test_loading_twice_changes_nothing(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert _counts() == before
    assert gettext("The demo provinces are already loaded: nothing to do.") in out.getvalue()


def test_the_accounts_table_lists_every_account_with_the_password(demo):
    out = StringIO()
    call_command("demo_accounts", "--url", "http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for username in ("sysadmin", "bo", "so", "xa", "hieutruong", "giaovien", "cotcan", "csdt", "so2"):
        assert username in text
    assert DEMO_PASSWORD in text
    assert "Trường Tiểu học Nước Hai" in text
    so2 = [line for line in text.splitlines() if line.strip().startswith("so2 ")]
    assert len(so2) == 1 and so2[0].endswith("Sở GD&ĐT Lạng Sơn")


def test_a_database_holding_only_some_demo_codes_is_refused(demo):
    Unit.objects.filter(code=ACCOUNT_SCHOOL).update(code="TH-OTHER")
    with pytest.raises(DemoConflict):
        demo_is_loaded()


def test_the_generator_is_deterministic():
    schools = [
        DemoSchool(unit_id=1, kind=UnitKind.SCHOOL, levels=("TH", "THCS"), profile="highland", size=30),
        DemoSchool(unit_id=2, kind=UnitKind.SCHOOL, levels=("MN",), profile="city", size=20),
    ]
    first = StaffGenerator(current_year=2026).staff(schools, [2024, 2025, 2026])
    assert first == StaffGenerator(current_year=2026).staff(schools, [2024, 2025, 2026])
    assert first != StaffGenerator(seed=7, current_year=2026).staff(schools, [2024, 2025, 2026])


def test_the_demo_publishes_programme_content_and_the_focus_modules_of_seed_003(demo):
    from bdtx.catalog.selectors import content_for, focus_modules_for
    from bdtx.demo.programmes import programme_demo_load
    from bdtx.people.models import Person

    assert programme_demo_load() == 0  # already published by load_demo: nothing twice
    teacher = Person.objects.get(user__username="giaovien")
    school = teacher.employments.get(school_year=school_year_current()).unit
    content = content_for(unit=school, school_year=school_year_current(), audience="GVPT", school_level="TH")
    assert sum(c.hours for c in content["BD01"]) == 40 and sum(c.hours for c in content["BD02"]) == 40
    focus = focus_modules_for(unit=school, school_year=school_year_current(), audience="GVPT", school_level="TH")
    assert [m.code for m in focus] == ["MĐ 04", "MĐ 05", "MĐ 09"]


# --- the second province: smaller, its own Sở account, out of the first one's sight ----------------


def _staff_under(code: str) -> int:
    province = Unit.objects.get(code=code)
    return Employment.objects.filter(school_year=school_year_current(), unit__path__startswith=province.path).count()


def test_the_second_province_is_a_fifth_of_the_first_with_the_same_history(demo):
    province = Unit.objects.get(code=LANG_SON)
    assert province.name == "Sở Giáo dục và Đào tạo Lạng Sơn"
    assert province.parent.code == "BGDDT"
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE, parent=province)
    assert communes.count() >= 3
    schools = Unit.objects.filter(kind=UnitKind.SCHOOL).within(province.path)
    assert 6 <= schools.count() <= 12
    for level in SchoolLevel.MN, SchoolLevel.TH, SchoolLevel.THCS, SchoolLevel.THPT:
        assert schools.with_level(level).exists(), level
    assert schools.with_level(SchoolLevel.THPT).get().parent == province
    assert schools.filter(difficult_area=True).exists()
    assert 0.15 <= _staff_under(LANG_SON) / _staff_under(PROVINCE_CODE) <= 0.25
    # schools sat under a district office until 30/06/2025, under a commune since
    school = Unit.objects.get(code="20TH003")
    district = parent_on(unit=school, day=SchoolYear.objects.get(pk=2024).ends_on)
    assert district.kind == UnitKind.DISTRICT and district.dissolved_on == REFORM_DAY
    assert school.parent.kind == UnitKind.COMMUNE and school.parent.parent == province
    # its staff were born there, as their ID numbers say; Nùng and Tày first
    emps = Employment.objects.filter(school_year=school_year_current(), unit__path__startswith=province.path)
    assert all(pid.startswith("020") for pid in emps.values_list("person__personal_id", flat=True))
    ethnicities = Counter(emps.values_list("person__ethnicity_id", flat=True)).most_common(3)
    assert {code for code, _n in ethnicities[:2]} == {"02", "07"}  # Tày, Nùng


def test_the_second_province_has_its_own_department_account(demo, client):
    so2 = User.objects.get(username="so2")
    assert [(ra.role, ra.unit.code) for ra in RoleAssignment.objects.filter(user=so2)] == [
        (Role.DEPARTMENT_STAFF, LANG_SON)
    ]
    assert client.login(username="so2", password=DEMO_PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    assert "Sở Giáo dục và Đào tạo Lạng Sơn" in response.content.decode()
    assert "Cao Bằng" not in response.content.decode()


@pytest.mark.parametrize(
    ("username", "own", "other"), [("so2", LANG_SON, PROVINCE_CODE), ("so", PROVINCE_CODE, LANG_SON)]
)
def test_each_department_sees_its_own_province_and_nothing_of_the_other(demo, username, own, other):
    scope = scope_for_user(User.objects.get(username=username))
    own_path, other_path = Unit.objects.get(code=own).path, Unit.objects.get(code=other).path
    units = Unit.objects.visible_to(scope, Perm.UNITS_VIEW)
    assert units.filter(path__startswith=own_path).exists()
    assert not units.filter(path__startswith=other_path).exists()
    staff = staff_list(scope=scope, f=StaffFilter(school_year=school_year_current()))
    assert staff.count() == _staff_under(own)
    assert not staff.filter(unit__path__startswith=other_path).exists()
    theirs = Person.objects.filter(employments__unit__path__startswith=other_path).distinct()
    assert theirs.exists()
    assert not Person.objects.visible_to(scope).filter(pk__in=theirs.values("pk")).exists()


@pytest.mark.parametrize(("username", "other"), [("so2", PROVINCE_CODE), ("so", LANG_SON)])
def test_the_other_provinces_pages_are_404_for_a_department(demo, client, username, other):
    province = Unit.objects.get(code=other)
    school = Unit.objects.filter(kind=UnitKind.SCHOOL).within(province.path).order_by("code").first()
    person = Person.objects.filter(employments__unit=school).first()
    assert client.login(username=username, password=DEMO_PASSWORD)
    for url in (
        f"/units/{province.uuid}/",
        f"/units/{school.uuid}/",
        f"/units/{school.uuid}/letterhead/",
        f"/people/{person.uuid}/",
        f"/plans/board/?unit={province.uuid}",
        f"/people/?unit={province.uuid}",
    ):
        assert client.get(url).status_code == 404, url


def test_the_ministry_sees_both_provinces_side_by_side_with_their_own_figures(demo, client):
    bo = User.objects.get(username="bo")
    scope = scope_for_user(bo)
    year = school_year_current()
    cao_bang, lang_son = Unit.objects.get(code=PROVINCE_CODE), Unit.objects.get(code=LANG_SON)
    figures = [staff_counts(scope=scope, school_year=year, unit=u).total for u in (cao_bang, lang_son)]
    assert figures == [_staff_under(PROVINCE_CODE), _staff_under(LANG_SON)]
    assert figures[0] > figures[1] > 0
    assert client.login(username="bo", password=DEMO_PASSWORD)
    board = client.get("/plans/board/").content.decode()  # the ministry's board: one row per province
    ministry = Unit.objects.get(code="BGDDT")
    page = client.get(f"/units/{ministry.uuid}/").content.decode()
    for html in (board, page):
        assert cao_bang.name in html and lang_son.name in html
    content = client.get("/catalog/content/").content.decode()  # each province's programme 02
    assert "Chương trình giáo dục địa phương tỉnh Cao Bằng" in content
    assert "Chương trình giáo dục địa phương tỉnh Lạng Sơn" in content
    for unit, total in zip((cao_bang, lang_son), figures, strict=True):
        html = client.get(f"/units/{unit.uuid}/").content.decode()
        assert f"{total} người" in html


def test_the_second_province_publishes_its_own_programme_02_and_focus_modules(demo):
    from bdtx.catalog.selectors import content_for, focus_modules_for

    school = Unit.objects.get(code="20TH001")
    year = school_year_current()
    content = content_for(unit=school, school_year=year, audience="GVPT", school_level="TH")
    assert sum(c.hours for c in content["BD02"]) == 40
    assert all(c.unit.code == LANG_SON for c in content["BD02"])
    focus = focus_modules_for(unit=school, school_year=year, audience="GVPT", school_level="TH")
    assert [m.code for m in focus] == ["MĐ 09"]


def test_the_readme_names_every_demo_account_and_the_password():
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    for account in DEMO_ACCOUNTS:
        assert f"`{account.username}`" in readme, account.username
    assert f"`{DEMO_PASSWORD}`" in readme


def test_the_demo_has_plans_in_every_state_each_one_as_the_services_would_make_it(demo):
    from bdtx.plans.models import PersonalPlan, PlanStatus, UnitPlan
    from bdtx.plans.personal.selectors import plan_problems

    year = school_year_current()
    plans = PersonalPlan.objects.filter(school_year=year)
    by_status = Counter(plans.values_list("status", flat=True))
    staff = Employment.objects.filter(school_year=year).count()
    assert set(by_status) == set(PlanStatus.values)
    assert by_status[PlanStatus.APPROVED] > staff / 3  # most people of Cao Bằng have an approved plan
    assert sum(by_status.values()) < staff  # and some have not started
    # Every plan sent up is one that could be sent: its lines fill each programme's periods.
    for status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.RETURNED):
        for plan in plans.filter(status=status).order_by("?")[:15]:
            assert plan_problems(plan=plan) == [], (status, plan.person.full_name)
            assert plan.events.filter(action="plan.submit").exists()
    # The accounts' own plans tell a story: returned to the teacher, the principal's waits.
    mine = {
        u: PersonalPlan.objects.get(person__user__username=u, school_year=year).status
        for u in ("giaovien", "hieutruong", "cotcan")
    }
    assert mine == {"giaovien": "returned", "hieutruong": "submitted", "cotcan": "approved"}
    # Schools' plans part of the way up; the accounts' school has its own still to make.
    units = UnitPlan.objects.filter(school_year=year)
    assert units.filter(status=PlanStatus.SUBMITTED).exists() and units.filter(status=PlanStatus.APPROVED).exists()
    school = Unit.objects.get(code=ACCOUNT_SCHOOL)
    assert not units.filter(unit=school).exists()
    # Each province gets its own picture: the smaller one is behind.
    share = {
        code: plans.filter(unit__path__startswith=Unit.objects.get(code=code).path, status=PlanStatus.APPROVED).count()
        / _staff_under(code)
        for code in (PROVINCE_CODE, LANG_SON)
    }
    assert share[PROVINCE_CODE] > share[LANG_SON] > 0


def test_the_ministrys_board_compares_the_provinces_approved_plans_today(demo, client):
    from bdtx.plans.models import PersonalPlan, PlanStatus

    year = school_year_current()
    assert client.login(username="bo", password=DEMO_PASSWORD)
    html = client.get("/plans/board/").content.decode()
    for code in (PROVINCE_CODE, LANG_SON):
        province = Unit.objects.get(code=code)
        approved = PersonalPlan.objects.filter(
            school_year=year, status=PlanStatus.APPROVED, unit__path__startswith=province.path
        ).count()
        assert f"{approved} / {_staff_under(code)}" in html, code


def test_the_demo_has_this_years_cohorts_of_the_focus_modules_with_groups(demo):
    from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus, SupportGroup
    from bdtx.training.selectors import mentor_rule_for

    year = school_year_current()
    cohorts = Cohort.objects.filter(organiser__code=PROVINCE_CODE, school_year=year).select_related("module")
    codes = {c.module.code for c in cohorts}
    assert {"MĐ 04", "MĐ 05", "MĐ 09", "GVMN 04", "QLMN 11"} <= codes
    assert all(c.phases.count() == 3 and c.institution is not None for c in cohorts)
    enrolled = Enrolment.objects.filter(cohort__in=cohorts, status=EnrolmentStatus.ENROLLED)
    assert enrolled.count() > 1000
    assert Enrolment.objects.filter(cohort__in=cohorts, status=EnrolmentStatus.WAITING).exists()  # one small cohort
    assert not enrolled.filter(group__isnull=True).exists()
    largest = max(g.members.count() for g in SupportGroup.objects.filter(cohort__in=cohorts))
    assert largest <= mentor_rule_for(year).max_group_size
    assert SupportGroup.objects.filter(cohort__in=cohorts, mentor__isnull=False).exists()
    from bdtx.demo.training import training_demo_load

    assert training_demo_load() == 0  # idempotent


def test_the_demo_cohorts_have_scores_and_practice_work_graded_and_waiting(demo):
    from bdtx.training.models import CompletionSignal, PracticeWork, Score

    year = school_year_current()
    assert Score.objects.filter(enrolment__cohort__school_year=year, value__lt=5).exists()  # under the pass mark
    works = PracticeWork.objects.filter(enrolment__cohort__school_year=year)
    assert works.filter(graded_at__isnull=False).exclude(comment="").exists()
    assert works.filter(graded_at__isnull=True).exists()
    assert CompletionSignal.objects.filter(party="mentor", source="practice").exists()


def test_the_previous_year_ran_to_its_end_and_its_results_are_computed_from_it(demo):
    from bdtx.core.models import SchoolYear
    from bdtx.plans.models import PersonalPlan
    from bdtx.results.models import YearResult
    from bdtx.training.models import CompletionList, Enrolment

    year = SchoolYear.of(school_year_current().start_year - 1)
    results = YearResult.objects.filter(school_year=year)
    assert results.count() == PersonalPlan.objects.filter(school_year=year, status="approved").count() > 1000
    assert results.filter(completed=True).count() > 20 * results.filter(completed=False).count() > 0
    reasons = {
        r["code"] for reasons in results.filter(completed=False).values_list("reasons", flat=True) for r in reasons
    }
    assert {"item", "score"} <= reasons  # a module not completed, a score under the pass mark
    # every completion list of the year approved; the people not completed really lack something
    assert not CompletionList.objects.filter(cohort__school_year=year).exclude(status="approved").exists()
    failed = [p for p, rs in results.values_list("person_id", "reasons") if any(r["code"] == "item" for r in rs)]
    assert Enrolment.objects.filter(school_year=year, person_id__in=failed, completed=False).exists()


def test_last_year_was_reported_up_the_tree_and_this_year_waits_to_be_filed(demo, client):
    from django.urls import reverse

    from bdtx.demo.cao_bang import ACCOUNT_COMMUNE
    from bdtx.yearreports.figures import ReportFigures
    from bdtx.yearreports.models import YearReport

    current = school_year_current()
    year = SchoolYear.of(current.start_year - 1)
    commune = Unit.objects.get(code=ACCOUNT_COMMUNE)
    own = YearReport.objects.get(unit=commune, school_year=year)
    schools = YearReport.objects.filter(school_year=year, unit__parent=commune)
    assert own.status == "filed" and own.filed_at.month == 6
    assert set(schools.values_list("status", flat=True)) == {"accepted"}
    assert schools.filter(unit__code=ACCOUNT_SCHOOL).exists()
    assert own.figures == ReportFigures.total_of(r.figures for r in schools)
    assert own.figures.overall.completed.total > 0
    assert not YearReport.objects.filter(school_year=current).exists()
    client.force_login(User.objects.get(username="so"))
    board = client.get(reverse("yearreports:board") + f"?year={year.pk}")
    assert board.status_code == 200 and commune.name in board.content.decode()


def test_the_office_and_the_so_have_a_bieu3_draft_of_the_previous_year(demo, client):
    from bdtx.bieu3.models import Bieu3Report
    from bdtx.bieu3.selectors import report_figures
    from bdtx.core.models import SchoolYear

    year = SchoolYear.of(school_year_current().start_year - 1)
    reports = {r.unit.name: r for r in Bieu3Report.objects.filter(school_year=year).select_related("unit")}
    assert set(reports) == {"UBND xã Hòa An", "Sở Giáo dục và Đào tạo Cao Bằng"}
    commune = reports["UBND xã Hòa An"]
    assert commune.assess_general and commune.recommendations and commune.modules.exists()
    figures = report_figures(commune)
    assert figures.total.joined.total > 0 and figures.total.completed.total > 0
    assert figures.total.in_scope.total >= figures.total.joined.total - figures.total.not_started.total
    client.force_login(User.objects.get(username="xa"))
    assert client.get(reverse("bieu3:detail", args=[commune.uuid])).status_code == 200
    assert client.get(reverse("bieu3:docx", args=[commune.uuid])).status_code == 200
