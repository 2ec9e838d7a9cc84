"""The pages teachers, principals and communes edit on, on a 360 × 740 phone: nothing scrolls
sideways, neither the page nor a table inside it, and every field and button of a plan item is on
the screen and can be used with a thumb.

A `.table-responsive` keeps the page itself from scrolling, so `document.scrollWidth` alone does
not see a table that is wider than its card: these tests also ask every scrolling box and every
element's bounding box.

Selectors are ids, classes, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Locator, Page, expect

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog import services as catalog_services
from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Person
from bdtx.plans.models import Form, PersonalPlan
from bdtx.plans.personal import services as personal_services
from bdtx.plans.unit import services as unit_services
from bdtx.regimes.models import Programme
from bdtx.regimes.selectors import hours_for
from bdtx.standards import services as standards_services
from bdtx.standards.models import Assessment, Level
from bdtx.standards.rating import framework_criteria
from bdtx.standards.selectors import framework_for_employment
from conftest import World
from tests.browser.conftest import PHONE
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]
NewContext = Callable[..., BrowserContext]

pytestmark = pytest.mark.browser

# Two modules of the shipped GVPT catalog (TT 17/2019) that together fill programme 03's 40 periods.
CATALOG = "GVPT-TT17-2019"
KEPT = "GVPT 11"
REMOVED = "GVPT 01"
THUMB = 44  # px: the smallest target a thumb hits reliably (WCAG 2.5.5)


# Everything that sticks out of a 360 px screen: the page's own width, boxes that scroll sideways
# (a .table-responsive wider than its card), and visible elements whose box ends past the screen.
OVERFLOW = """() => {
  const width = window.innerWidth;
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push('the page is ' + document.documentElement.scrollWidth + ' px wide');
  }
  for (const el of document.querySelectorAll('body *')) {
    if (el.offsetParent === null && getComputedStyle(el).position !== 'fixed') continue;  // not drawn
    const box = el.getBoundingClientRect();
    if (box.width && (box.left < -0.5 || box.right > width + 0.5)) {
      found.push(name(el) + ' spans ' + Math.round(box.left) + '–' + Math.round(box.right) + ' px');
    }
    const overflowX = getComputedStyle(el).overflowX;
    if ((overflowX === 'auto' || overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      found.push(name(el) + ' scrolls sideways: ' + el.scrollWidth + ' px in ' + el.clientWidth);
    }
  }
  return found.slice(0, 10);
}"""


def assert_fits(page: Page) -> None:
    """No horizontal scroll: the page is no wider than the screen, and nothing in it is either."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url
    assert page.evaluate(OVERFLOW) == [], page.url


def assert_on_screen(page: Page, target: Locator, what: str, thumb: bool = False) -> None:
    """The element is drawn entirely within the screen's width (and, for a control, tall enough)."""
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    assert box is not None, f"{what} is not drawn"
    width = page.evaluate("window.innerWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{what} at {box} is off a {width} px screen"
    if thumb:
        assert box["height"] >= THUMB, f"{what} is {box['height']} px tall: too small for a thumb"


@dataclass
class Year:
    school_year: SchoolYear
    kept: Module
    removed: Module


@pytest.fixture
def year(world: World) -> Year:
    """Programme 01 and 02 content for the school year, and two modules filling programme 03."""
    school_year = school_year_current()
    hours = hours_for(unit=world.u("th_a1"), school_year=school_year)
    for who, unit, programme, title in (
        ("ministry", "bo", Programme.BD01, "Thực hiện nhiệm vụ năm học 2026-2027 cấp tiểu học"),
        ("so_a", "so_a", Programme.BD02, "Giáo dục địa phương Tỉnh An"),
    ):
        catalog_services.content_create(
            scope=scope_for_user(world.users[who]),
            unit=world.u(unit),
            school_year=school_year,
            programme=programme,
            title=title,
            hours=hours[programme.lower()],
        )
    kept = Module.objects.get(catalog__code=CATALOG, code=KEPT)
    removed = Module.objects.get(catalog__code=CATALOG, code=REMOVED)
    assert kept.hours_total is not None and removed.hours_total is not None, "catalog periods changed"
    assert kept.hours_total + removed.hours_total == hours["bd03"], "the two modules no longer fill programme 03"
    return Year(school_year, kept, removed)


def plan_with_modules(world: World, key: str, year: Year) -> PersonalPlan:
    """The person's plan with programmes 01 and 02 and both modules: complete, still a draft."""
    scope = scope_for_user(world.users[key])
    plan = personal_services.plan_start(scope=scope, person=world.people[key], school_year=year.school_year)
    for module in (year.removed, year.kept):
        personal_services.plan_module_add(scope=scope, plan=plan, module=module)
    return plan


def submitted_self_assessment(world: World, key: str, year: Year) -> Assessment:
    person: Person = world.people[key]
    scope = scope_for_user(world.users[key])
    framework = framework_for_employment(person.employments.get(school_year=year.school_year))
    assert framework is not None
    ratings = {c.pk: standards_services.SelfRating(level=Level.GOOD) for c in framework_criteria(framework)}
    assessment = standards_services.assessment_save_self(
        scope=scope, person=person, school_year=year.school_year, ratings=ratings
    )
    return standards_services.assessment_submit(scope=scope, assessment=assessment)


def phone_of(new_context: NewContext, sign_in, username: str) -> Page:  # type: ignore[no-untyped-def]
    """A 360 × 740 touch phone, signed in."""
    page = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    sign_in(page, username)
    return page


def item_row(page: Page, code: str) -> Locator:
    return page.locator("#plan-items tbody tr").filter(has=page.locator("strong", has_text=code))


def test_a_teacher_edits_and_removes_plan_items_on_a_phone(
    phone_page: Page, live_server, world: World, year: Year, sign_in, screenshot: Shot
) -> None:
    plan_with_modules(world, "teacher_a1", year)
    page = phone_page
    sign_in(page, "teacher_a1")
    page.goto(f"{live_server.url}{reverse('plans:mine')}")
    rows = page.locator("#plan-items tbody tr")
    expect(rows).to_have_count(4)  # programmes 01 and 02, two modules
    assert_fits(page)

    # Every part of a module's line is on the screen: its periods, the fields of its "change"
    # form, Save and Remove; the controls are a thumb's size.
    row = item_row(page, KEPT)
    assert_on_screen(page, row.locator(".plan-item-hours"), "the periods")
    expect(row.locator(".plan-item-hours")).to_contain_text(str(year.kept.hours_total))
    row.locator("summary").tap()
    form_field = row.get_by_label(vi("Form"), exact=True)
    start = row.get_by_label(vi("From (month)"))
    end = row.get_by_label(vi("To (month)"))  # "Đến tháng"
    save = row.get_by_role("button", name=vi("Save"))
    remove = row.get_by_role("button", name=vi("Remove"))
    for control, what in ((form_field, "Form"), (start, "From (month)"), (end, "To (month)"), (save, "Save")):
        expect(control).to_be_visible()
        assert_on_screen(page, control, what, thumb=True)
    assert_on_screen(page, remove, "Remove", thumb=True)
    assert_fits(page)  # the opened form does not widen the card either
    screenshot(page, "phone-plan-edit")

    # They work: a new form and months are saved and shown on the line.
    form_field.select_option(Form.DISTANCE.value)
    start.fill("2026-10")
    end.fill("2026-12")
    with page.expect_navigation():
        save.tap()
    expect(page.get_by_role("alert").filter(has_text=vi("Saved."))).to_be_visible()
    row = item_row(page, KEPT)
    expect(row.locator(".plan-item-when summary")).to_contain_text(vi(Form.DISTANCE.label))
    expect(row.locator(".plan-item-when summary")).to_contain_text("10/2026–12/2026")
    assert_fits(page)
    screenshot(page, "phone-plan-edit-saved")

    # Remove takes the other module out of the plan.
    with page.expect_navigation():
        item_row(page, REMOVED).get_by_role("button", name=vi("Remove")).tap()
    expect(rows).to_have_count(3)
    expect(item_row(page, REMOVED)).to_have_count(0)
    expect(item_row(page, KEPT)).to_have_count(1)
    assert_fits(page)
    screenshot(page, "phone-plan-edit-removed")


def test_every_page_teachers_principals_and_communes_edit_on_fits_a_phone(
    new_context: NewContext, live_server, world: World, year: Year, sign_in, screenshot: Shot
) -> None:
    plan_with_modules(world, "teacher_a1", year)  # the teacher's draft
    mentor_plan = plan_with_modules(world, "mentor_a1", year)
    personal_services.plan_submit(scope=scope_for_user(world.users["mentor_a1"]), plan=mentor_plan)
    assessment = submitted_self_assessment(world, "mentor_a1", year)
    principal = scope_for_user(world.users["principal_a1"])
    unit_plan = unit_services.unit_plan_compile(scope=principal, unit=world.u("th_a1"), school_year=year.school_year)

    def check(page: Page, name: str, *args: object, opens: str = "", shot: str = "") -> None:
        page.goto(f"{live_server.url}{reverse(name, args=args)}")
        toggles = page.locator(opens or "none")
        for n in range(toggles.count()):  # open every "change" and "evidence" box
            toggles.nth(n).tap()
        assert_fits(page)
        if shot:
            screenshot(page, shot)

    # The teacher: her self-assessment (the criteria form, every evidence box open) and her plan.
    teacher = phone_of(new_context, sign_in, "teacher_a1")
    check(teacher, "standards:mine", opens="#self-form details summary", shot="phone-self-assessment")
    levels = teacher.locator(".level-radios label")
    assert levels.count() >= 4
    for n in range(4):  # a criterion's level buttons are thumb-sized (44 px) and share the row
        box = levels.nth(n).bounding_box()
        assert box and box["height"] >= 44 and box["x"] + box["width"] <= 360, box
    check(teacher, "plans:mine", opens="#plan-items summary")

    # The principal: personal plans to approve, the decision on one, evaluating a self-assessment,
    # the school's own plan with its submit form, the boards and lists.
    head = phone_of(new_context, sign_in, "principal_a1")
    check(head, "plans:list")
    check(head, "plans:detail", mentor_plan.uuid)
    expect(head.locator("button[name=action][value=approve]")).to_be_visible()
    check(head, "standards:evaluate", assessment.uuid, shot="phone-evaluate")
    check(head, "standards:list")
    check(head, "plans:unit_plan", unit_plan.uuid, shot="phone-unit-plan")
    expect(head.locator("#unit-actions input[name=number]")).to_be_visible()
    check(head, "plans:board")
    check(head, "people:list")
    check(head, "core:audit")

    # The commune: its approvals board with the school's plan to review, and the decision.
    unit_services.unit_plan_submit(scope=principal, plan=unit_plan, number="15/KH-THĐ", incomplete_ok=True)
    commune = phone_of(new_context, sign_in, "xa_a1")
    check(commune, "plans:board", shot="phone-approvals-board")
    expect(commune.locator("#board").get_by_role("link", name=vi("Review"))).to_be_visible()
    check(commune, "plans:unit_plan", unit_plan.uuid)
    expect(commune.locator("#decide button[value=approve]")).to_be_visible()
    check(commune, "core:audit")


def test_the_authorities_reference_lists_fit_a_phone(
    new_context: NewContext, live_server, world: World, sign_in
) -> None:
    """The regimes, the standards and the units: stacked rows whose cells hold several parts, long
    legal sources and long badges."""
    page = phone_of(new_context, sign_in, "sysadmin")
    for name in ("regimes:list", "standards:frameworks", "organisations:list"):
        page.goto(f"{live_server.url}{reverse(name)}")
        assert_fits(page)
