"""Small things a principal and a teacher meet on the way (issue 8): a search for "hoa" puts the Hoa,
Hòa, Hóa first; a school's page leads to its plans; a teacher's page to her self-assessment and plan;
after her self-assessment, the teacher is led to her plan."""

from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.plans.models import PlanStatus
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for
from bdtx.standards.models import Assessment, Framework
from conftest import World

Shot = Callable[[Page, str], Path]

NAMES = [
    ("Hoàng", "Văn", "Nam", "M"),
    ("Ngô", "Đăng", "Khoa", "M"),
    ("Trần", "", "Hòa", "F"),
    ("Nguyễn", "Thị", "Hoa", "F"),
]
NAMES += [("Phan", "Thanh Hoa", "Lan", "F"), ("Đỗ", "Văn", "Hoàng", "M"), ("Lê", "Văn", "Hóa", "M")]


def test_a_principal_finds_hoa_and_goes_from_the_school_and_a_teacher_to_their_plans(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    school, teacher = world.u("th_a1"), world.people["teacher_a1"]
    for family, middle, given, gender in NAMES:
        EmploymentFactory(
            unit=school,
            person__family_name=family,
            person__middle_name=middle,
            person__given_name=given,
            person__gender=gender,
        )
    plan = plan_for(teacher, school, make_catalogue(world), status=PlanStatus.SUBMITTED)
    Assessment.objects.create(
        person=teacher,
        unit=school,
        school_year=school_year_current(),
        framework=Framework.objects.get(code="tt20_2018_gvpt"),
        status=Assessment.Status.SUBMITTED,
    )
    sign_in(page, "principal_a1")

    # 1. "hoa" without diacritics: the given names Hoa, Hòa, Hóa first, then Hoa as a middle name,
    #    then the names with a word starting with it, then "Khoa".
    page.goto(f"{live_server.url}{reverse('people:list')}?q=hoa")
    names = page.locator("table tbody tr td:nth-child(2) a")
    expect(names).to_have_text(
        [
            "Nguyễn Thị Hoa",
            "Trần Hòa",
            "Lê Văn Hóa",
            "Phan Thanh Hoa Lan",
            "Đỗ Văn Hoàng",
            "Hoàng Văn Nam",
            "Ngô Đăng Khoa",
        ]
    )
    screenshot(page, "small-staff-search-hoa")

    # 2. The school's page: its plan of the year (none yet: compile it), its staff's personal plans.
    page.goto(f"{live_server.url}{reverse('home:unit', args=[school.uuid])}")
    card = page.locator("#plans")
    expect(card.locator("#unit-plan-status")).to_contain_text("Chưa có kế hoạch")
    screenshot(page, "small-unit-plans")
    with page.expect_navigation():
        card.locator("#personal-plans-link").click()
    expect(page.get_by_role("link", name=teacher.full_name)).to_be_visible()
    page.go_back()
    with page.expect_navigation():
        page.locator("#unit-plan-link").click()
    expect(page.get_by_role("button", name="Tổng hợp kế hoạch")).to_be_visible()

    # 3. The teacher's page: her self-assessment and her plan of the year, each one click away.
    page.goto(f"{live_server.url}{reverse('people:detail', args=[teacher.uuid])}")
    records = page.locator("#bdtx-records li")
    expect(records).to_have_count(3)
    expect(records.nth(0)).to_contain_text("Đã gửi bản tự đánh giá")
    expect(records.nth(1)).to_contain_text("Kế hoạch BDTX cá nhân")
    expect(records.nth(2)).to_contain_text("Hồ sơ BDTX")  # the record of every year (records)
    screenshot(page, "small-person-records")
    with page.expect_navigation():
        records.nth(1).get_by_role("link").click()
    assert page.url.endswith(reverse("plans:detail", args=[plan.uuid]))


def test_after_her_self_assessment_a_teacher_is_led_to_her_plan(
    phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    page = phone_page
    teacher = world.people["teacher_a1"]
    assessment = Assessment.objects.create(
        person=teacher,
        unit=world.u("th_a1"),
        school_year=school_year_current(),
        framework=Framework.objects.get(code="tt20_2018_gvpt"),
        status=Assessment.Status.SUBMITTED,
    )
    sign_in(page, "teacher_a1")
    page.goto(f"{live_server.url}{reverse('standards:detail', args=[assessment.uuid])}")
    step = page.locator("#next-step")
    expect(step).to_contain_text("Bước tiếp theo")
    expect(step.locator("#next-step-link")).to_have_text("Lập kế hoạch BDTX cá nhân")
    screenshot(page, "small-next-step-phone")
    with page.expect_navigation():
        step.locator("#next-step-link").click()
    expect(page.locator("#start-plan")).to_be_visible()


def test_a_department_goes_from_its_page_to_the_board_of_the_units_below(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    province = world.u("so_a")
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('home:unit', args=[province.uuid])}")
    card = page.locator("#plans")
    expect(card.locator("#unit-plan-link")).to_have_count(1)  # its own staff compile the Sở's plan
    screenshot(page, "small-unit-plans-department")
    with page.expect_navigation():
        card.locator("#plans-board-link").click()
    expect(page.locator("#own-plan")).to_be_visible()
    expect(page.get_by_role("link", name=world.u("xa_a1").name)).to_be_visible()
