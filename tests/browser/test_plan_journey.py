"""The year's planning journey in a real browser, from a teacher's self-assessment to the Sở's board.

A teacher of Trường Tiểu học Đông rates herself against the standard, builds her BDTX plan from the
recommendations (the Sở's focus module first, then a module for a weak criterion) and submits it;
the principal returns it with a comment; the teacher, now on her phone, changes the form of a module
and resubmits; the principal approves it, compiles the school's plan and submits it to the commune
(the school's parent since the district was abolished); the commune approves it and submits its own
plan; the Sở sees the commune's plan on its status board and, one level down, the school's.

Selectors are ids, names, hrefs from `reverse()` and interface strings through gettext (`vi`), so
that the Vietnamese catalog can change without breaking the journey.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from playwright.sync_api import BrowserContext, Locator, Page, expect

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog import services as catalog_services
from bdtx.catalog.models import Module
from bdtx.core.selectors import school_year_current
from bdtx.plans.models import Form, PlanStatus
from bdtx.regimes.models import Programme
from bdtx.regimes.selectors import hours_for
from bdtx.standards.models import Level
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]
NewContext = Callable[..., BrowserContext]

# Modules of the shipped GVPT catalog (TT 17/2019) that fill programme 03's 40 periods: the Sở's
# focus module (20 periods, serves criterion 1) and the module of criterion 11 (20 periods).
CATALOG = "GVPT-TT17-2019"
FOCUS = "GVPT 01"
FOR_WEAK = "GVPT 11"
# Criteria the teacher rates Đạt (weak); every other criterion is Tốt. Criterion 4 is a key
# criterion (standard 2), so one level short of Khá keeps the overall rating at Đạt. Its module
# (GVPT 04) has no periods in the catalog yet: it is not proposed, and the box says so.
WEAK = (4, 11)
UNKNOWN_PERIODS = "GVPT 04"
EVIDENCE = "Kế hoạch dạy học môn Toán lớp 3 theo chủ đề, học kỳ I"
RETURN_COMMENT = "Mô đun GVPT 01 nên học từ xa để không trùng lịch dạy."
APPROVE_COMMENT = "Đồng ý."
SCHOOL_NUMBER = "15/KH-THĐ"
COMMUNE_NUMBER = "7/KH-UBND"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = pytest.mark.browser


@dataclass
class Setup:
    year: int
    bd01: int
    bd02: int
    bd03: int
    focus: Module
    for_weak: Module


@pytest.fixture
def planning_year(world: World) -> Setup:
    """What the authorities publish before the year: the ministry's programme 01 topic, the Sở's
    programme 02 topic (periods as the regime wants them) and the Sở's focus module."""
    year = school_year_current()
    hours = hours_for(unit=world.u("th_a1"), school_year=year)
    catalog_services.content_create(
        scope=scope_for_user(world.users["ministry"]),
        unit=world.u("bo"),
        school_year=year,
        programme=Programme.BD01,
        title="Thực hiện nhiệm vụ năm học 2026-2027 cấp tiểu học",
        hours=hours["bd01"],
    )
    catalog_services.content_create(
        scope=scope_for_user(world.users["so_a"]),
        unit=world.u("so_a"),
        school_year=year,
        programme=Programme.BD02,
        title="Giáo dục địa phương Tỉnh An",
        hours=hours["bd02"],
    )
    focus = Module.objects.get(catalog__code=CATALOG, code=FOCUS)
    for_weak = Module.objects.get(catalog__code=CATALOG, code=FOR_WEAK)
    # The journey relies on these catalog facts; say so plainly if the shipped catalog changes.
    assert focus.hours_total is not None and for_weak.hours_total is not None, "catalog periods changed"
    assert focus.hours_total + for_weak.hours_total == hours["bd03"], "the two modules no longer fill programme 03"
    assert [c.number for c in for_weak.criteria.all()] == [WEAK[1]], "catalog criteria changed"
    assert Module.objects.get(catalog__code=CATALOG, code=UNKNOWN_PERIODS).hours_total is None
    catalog_services.focus_module_add(
        scope=scope_for_user(world.users["so_a"]),
        unit=world.u("so_a"),
        school_year=year,
        module=focus,
        priority=1,
    )
    return Setup(year.pk, hours["bd01"], hours["bd02"], hours["bd03"], focus, for_weak)


# --- helpers -------------------------------------------------------------------------------------


def url(live_server, name: str, *args: object, query: str = "") -> str:  # type: ignore[no-untyped-def]
    return f"{live_server.url}{reverse(name, args=args)}{'?' + query if query else ''}"


def plan_status(page: Page) -> Locator:
    """The status badge at the top of a personal or unit plan page."""
    return page.locator("main .card-body").first.locator(".badge").first


def rate(page: Page, criterion: int, level: int) -> None:
    """Click the level's button of one criterion (the radio itself is visually hidden)."""
    row = page.locator(f"#criterion-{criterion}")
    radio = row.locator(f"input.level-input[value='{int(level)}']")
    row.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()


def plan_row(page: Page, code: str) -> Locator:
    return page.locator("#plan-items tbody tr").filter(has=page.locator("strong", has_text=code))


def change_item(page: Page, code: str, form: str, start: str, end: str) -> None:
    """Open an item's 'change' toggle, choose its form and months, save."""
    row = plan_row(page, code)
    row.locator("summary").click()
    update = row.locator("form[action$='/items/update/']")
    update.locator("select").select_option(str(form))
    months = update.locator("input[type=month]")
    months.nth(0).fill(start)
    months.nth(1).fill(end)
    with page.expect_navigation():
        update.locator("button").click()
    expect(page.get_by_role("alert").filter(has_text=vi("Saved."))).to_be_visible()


def board_row(page: Page, unit_name: str) -> Locator:
    return page.locator("#board tbody tr").filter(has=page.get_by_role("link", name=unit_name, exact=True))


def cell(row: Locator, label: str) -> Locator:
    return row.locator(f"td[data-label='{vi(label)}']")


def fits_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )


# --- the journey ---------------------------------------------------------------------------------


def test_teacher_plans_principal_returns_then_approves_and_the_school_plan_reaches_the_so(
    page: Page,
    phone_page: Page,
    new_context: NewContext,
    live_server,
    world: World,
    planning_year: Setup,
    sign_in,
    screenshot: Shot,
) -> None:
    teacher = world.people["teacher_a1"]
    school, commune, province = world.u("th_a1"), world.u("xa_a1"), world.u("so_a")
    y = planning_year
    page.on("dialog", lambda d: d.accept())  # "Submit your self-assessment? …"

    # 1. The teacher rates every criterion, gives evidence for one, submits, sees her rating.
    sign_in(page, "teacher_a1")
    page.locator(f"nav a[href='{reverse('standards:mine')}']").click()
    expect(page.locator("#self-form")).to_be_visible()
    criteria = page.locator("li.criterion")
    n_criteria = criteria.count()
    assert n_criteria == 15  # TT 20/2018: 15 criteria in 5 standards
    for n in range(1, n_criteria + 1):
        rate(page, n, Level.MET if n in WEAK else Level.EXCELLENT)
    row4 = page.locator(f"#criterion-{WEAK[0]}")
    row4.locator("summary").click()
    row4.locator("textarea").fill(EVIDENCE)
    # The live rating follows the levels: a key criterion at Đạt keeps the whole rating at Đạt.
    expect(page.locator("#rating-result")).to_have_attribute("data-level", str(Level.MET.value))
    screenshot(page, "plan-journey-1-self-assessment")
    with page.expect_navigation():
        page.locator("#submit-assessment").click()
    expect(page).to_have_url(re.compile(r"/standards/[0-9a-f-]{36}/$"))
    expect(page.locator("#status")).to_have_text(vi("Self-assessment submitted"))
    expect(page.locator("#self-result")).to_have_text(vi(Level.MET.label))
    expect(page.locator("#criteria-table")).to_contain_text(EVIDENCE)
    # The page says what comes next: her plan (this year's, not made yet; she is on no list for the next)
    expect(page.locator("#next-step")).to_contain_text(vi("Next step"))
    expect(page.locator("#next-step-link")).to_have_attribute("href", f"{reverse('plans:mine')}?year={y.year}")
    screenshot(page, "plan-journey-1-self-assessment-submitted")

    # 2. Her plan: recommendations with reasons, the focus module first; she adds them until
    #    programme 03 is full, chooses form and months for one, and submits.
    page.locator(f"nav a[href='{reverse('plans:mine')}']").click()
    with page.expect_navigation():
        page.locator("#start-plan").click()
    expect(plan_status(page)).to_have_text(vi(PlanStatus.DRAFT.label))
    items = page.locator("#plan-items tbody tr")
    expect(items).to_have_count(2)  # programmes 01 and 02, from the published content
    expect(page.locator("#plan-items")).to_contain_text("Giáo dục địa phương Tỉnh An")
    recs = page.locator("#recommendations > li")
    first = recs.first
    expect(first).to_contain_text(FOCUS)
    expect(first.locator(".badge", has_text=vi("focus"))).to_be_visible()
    expect(first).to_contain_text(province.name)  # "Focus module of Sở GD&ĐT Tỉnh An this year"
    weak = recs.filter(has=page.locator("strong", has_text=FOR_WEAK))
    reason = vi("serves criterion %(n)s (rated %(level)s)") % {"n": WEAK[1], "level": vi(Level.MET.label)}
    expect(weak).to_contain_text(reason[:1].upper() + reason[1:])  # the reason starts the sentence
    expect(weak.locator(".badge", has_text=vi("proposed"))).to_be_visible()
    expect(recs.filter(has=page.locator("strong", has_text=UNKNOWN_PERIODS))).to_have_count(0)  # cannot count
    left_out = page.locator("#recommendations-without-hours")
    with translation.override("vi"):
        said = translation.ngettext(
            "%(n)s module has no periods yet, so it is not proposed; the Sở can set its periods for the province.",
            "%(n)s modules have no periods yet, so they are not proposed; the Sở can set their periods for the "
            "province.",
            1,
        ) % {"n": 1}
    expect(left_out).to_contain_text(said)
    expect(left_out).to_contain_text(UNKNOWN_PERIODS)  # named when opened
    periods = page.locator(".card .fs-5.fw-semibold")  # planned/required, per programme
    expect(periods).to_have_text([f"{y.bd01}/{y.bd01}", f"{y.bd02}/{y.bd02}", f"0/{y.bd03}"])
    expect(page.locator("#problems")).to_be_visible()
    expect(page.locator("#submit-plan")).to_have_attribute("aria-describedby", "problems")

    for code in (FOCUS, FOR_WEAK):
        rec = recs.filter(has=page.locator("strong", has_text=code))
        with page.expect_navigation():
            rec.locator("button").click()
        expect(page.get_by_role("alert").filter(has_text=code)).to_be_visible()
    expect(items).to_have_count(4)
    expect(periods.nth(2)).to_have_text(f"{y.bd03}/{y.bd03}")
    expect(page.locator("#problems")).to_have_count(0)  # 40/40/40: nothing keeps it from being submitted
    expect(recs.filter(has=page.locator("strong", has_text=FOCUS))).to_have_count(0)  # chosen: left out
    expect(plan_row(page, FOCUS)).to_contain_text(province.name)  # the reason travels with the item
    change_item(page, FOR_WEAK, Form.IN_PERSON, "2027-01", "2027-03")
    expect(plan_row(page, FOR_WEAK)).to_contain_text(vi(Form.IN_PERSON.label))
    expect(plan_row(page, FOR_WEAK)).to_contain_text("01/2027–03/2027")
    with page.expect_navigation():
        page.locator("#submit-plan").click()
    expect(plan_status(page)).to_have_text(vi(PlanStatus.SUBMITTED.label))
    expect(page.locator("#submit-plan")).to_have_count(0)  # no longer editable
    expect(page.locator("#history")).to_contain_text(vi("Personal plan submitted"))
    screenshot(page, "plan-journey-2-teacher-submitted")

    # 3. The principal finds the plan in the list and returns it with a comment.
    principal = new_context().new_page()
    sign_in(principal, "principal_a1")
    principal.goto(url(live_server, "plans:list"))
    expect(principal.locator("#plan-counts")).to_be_visible()
    people = principal.locator("#plan-people tbody tr")
    expect(people).to_have_count(4)  # everyone on the school's staff list this year
    row = people.filter(has_text=teacher.full_name)
    expect(row).to_contain_text(vi(PlanStatus.SUBMITTED.label))
    with principal.expect_navigation():
        row.get_by_role("link", name=teacher.full_name).click()
    expect(principal.locator("h1")).to_contain_text(teacher.full_name)
    expect(principal.locator("#recommendations")).to_have_count(0)  # the reviewer does not edit
    principal.locator("textarea[name=comment]").fill(RETURN_COMMENT)
    with principal.expect_navigation():
        principal.locator("button[name=action][value=return]").click()
    expect(plan_status(principal)).to_have_text(vi(PlanStatus.RETURNED.label))
    expect(principal.locator("#history")).to_contain_text(RETURN_COMMENT)
    screenshot(principal, "plan-journey-3-principal-returned")

    # 4. On her phone, the teacher reads the comment, learns the module from a distance, resubmits.
    phone = phone_page
    phone.on("dialog", lambda d: d.accept())
    sign_in(phone, "teacher_a1")
    phone.goto(url(live_server, "plans:mine"))
    expect(plan_status(phone)).to_have_text(vi(PlanStatus.RETURNED.label))
    expect(phone.locator(".alert-warning[role=status]")).to_contain_text(RETURN_COMMENT)
    fits_phone(phone)
    change_item(phone, FOCUS, Form.DISTANCE, "2026-10", "2026-12")
    expect(plan_row(phone, FOCUS)).to_contain_text(vi(Form.DISTANCE.label))
    fits_phone(phone)
    screenshot(phone, "plan-journey-4-phone-teacher-revises")
    with phone.expect_navigation():
        phone.locator("#submit-plan").click()
    expect(plan_status(phone)).to_have_text(vi(PlanStatus.SUBMITTED.label))
    history = phone.locator("#history > li")
    expect(history).to_have_count(4)  # started, submitted, returned, submitted again
    expect(history.nth(2)).to_contain_text(RETURN_COMMENT)
    fits_phone(phone)
    screenshot(phone, "plan-journey-4-phone-teacher-resubmitted")

    # 5. The principal approves, compiles the school's plan and submits it to the commune.
    principal.reload()
    expect(plan_status(principal)).to_have_text(vi(PlanStatus.SUBMITTED.label))
    expect(principal.locator("#plan-items")).to_contain_text(vi(Form.DISTANCE.label))
    principal.locator("textarea[name=comment]").fill(APPROVE_COMMENT)
    with principal.expect_navigation():
        principal.locator("button[name=action][value=approve]").click()
    expect(plan_status(principal)).to_have_text(vi(PlanStatus.APPROVED.label))
    expect(principal.locator(".alert-warning[role=status]")).to_have_count(0)  # the old comment is gone

    principal.goto(url(live_server, "plans:board"))
    own = principal.locator("#own-plan")
    expect(own).to_contain_text(vi("No plan yet"))
    expect(own).to_contain_text(commune.name)  # "Submitted to: UBND xã Đông"
    with principal.expect_navigation():
        own.locator(f"form[action='{reverse('plans:unit_plan_compile', args=[school.uuid])}'] button").click()
    expect(principal).to_have_url(re.compile(r"/plans/unit-plans/[0-9a-f-]{36}/$"))
    expect(plan_status(principal)).to_have_text(vi("Draft"))
    stats = principal.locator(".card-stat .display-6")
    expect(stats.nth(0)).to_have_text("4")  # people on the staff list
    expect(stats.nth(1)).to_have_text("1")  # with an approved personal plan: the teacher
    for code in (FOCUS, FOR_WEAK):
        line = principal.locator("tr").filter(has=principal.locator("strong", has_text=code))
        expect(cell(line, "People")).to_have_text("1")
    expect(principal.locator("tr").filter(has=principal.locator("strong", has_text=FOCUS))).to_contain_text(
        vi(Form.DISTANCE.label)
    )
    # Only the teacher's plan is approved: the page says so, and the plan goes up only when the
    # principal sends it incomplete knowingly.
    expect(principal.locator("#coverage")).to_contain_text(vi("The plan leaves the others out."))
    submit = principal.locator(f"form[action='{reverse('plans:unit_plan_submit', args=[own_plan_uuid(principal)])}']")
    submit.locator("input[name=number]").fill(SCHOOL_NUMBER)
    with principal.expect_navigation():
        submit.locator("button").click()
    expect(principal.locator(".alert-danger, .alert-error, [role=alert]").first).to_contain_text(
        vi("Submit it incomplete")
    )
    screenshot(principal, "plan-journey-5a-incomplete-plan-needs-confirmation")
    submit = principal.locator(f"form[action='{reverse('plans:unit_plan_submit', args=[own_plan_uuid(principal)])}']")
    submit.locator("input[name=number]").fill(SCHOOL_NUMBER)
    submit.locator("input[name=incomplete_ok]").check()
    with principal.expect_navigation():
        submit.locator("button").click()
    expect(plan_status(principal)).to_have_text(vi("Submitted"))
    expect(principal.locator("main")).to_contain_text(SCHOOL_NUMBER)
    expect(principal.locator("#unit-actions")).to_have_count(0)  # nothing more to do until it is returned
    screenshot(principal, "plan-journey-5-school-plan-submitted")

    docx = principal.request.get(live_server.url + principal.locator("#docx-link").get_attribute("href"))
    assert docx.ok
    assert docx.headers["content-type"].startswith(DOCX_TYPE)
    body = docx.body()
    assert body[:2] == b"PK"
    text = docx_text(body)
    assert school.name.upper() in text.upper() and SCHOOL_NUMBER in text

    # 6. The commune approves the school's plan and submits its own; the Sở sees both on its board.
    office = new_context().new_page()
    sign_in(office, "xa_a1")
    office.goto(url(live_server, "plans:board"))
    row = board_row(office, school.name)
    expect(cell(row, "Status")).to_contain_text(vi("Submitted"))
    with office.expect_navigation():
        row.locator(f"a[href='{reverse('plans:unit_plan', args=[own_plan_uuid(principal)])}']").click()
    with office.expect_navigation():
        office.locator("#decide button[name=decision][value=approve]").click()
    expect(plan_status(office)).to_have_text(vi("Approved"))
    office.goto(url(live_server, "plans:board"))
    expect(cell(board_row(office, school.name), "Status")).to_contain_text(vi("Approved"))
    with office.expect_navigation():
        office.locator(
            f"#own-plan form[action='{reverse('plans:unit_plan_compile', args=[commune.uuid])}'] button"
        ).click()
    submit = office.locator(f"form[action='{reverse('plans:unit_plan_submit', args=[own_plan_uuid(office)])}']")
    submit.locator("input[name=number]").fill(COMMUNE_NUMBER)
    if submit.locator("input[name=incomplete_ok]").count():  # another school of the commune has no plan
        submit.locator("input[name=incomplete_ok]").check()
    with office.expect_navigation():
        submit.locator("button").click()
    expect(plan_status(office)).to_have_text(vi("Submitted"))
    expect(office.locator("main")).to_contain_text(province.name)  # "Submitted to: Sở GD&ĐT Tỉnh An"

    so = new_context().new_page()
    sign_in(so, "so_a")
    so.goto(url(live_server, "plans:board"))
    expect(so.locator("h1")).to_contain_text(province.name)
    row = board_row(so, commune.name)
    expect(cell(row, "Status")).to_contain_text(vi("Submitted"))
    expect(cell(row, "With a plan")).to_have_text("1")
    expect(cell(row, "In scope")).to_have_text("4")
    submitted_filter = so.locator(f"#status-filter a[href$='status={PlanStatus.SUBMITTED.value}']")
    expect(submitted_filter.locator(".badge")).to_have_text("1")
    screenshot(so, "plan-journey-6-so-board")
    with so.expect_navigation():
        row.get_by_role("link", name=commune.name, exact=True).click()
    expect(so.locator("h1")).to_contain_text(commune.name)
    school_row = board_row(so, school.name)
    expect(cell(school_row, "Status")).to_contain_text(vi("Approved"))
    expect(cell(school_row, "With a plan")).to_have_text("1")
    expect(cell(school_row, "In scope")).to_have_text("4")
    screenshot(so, "plan-journey-6-so-board-commune")


def own_plan_uuid(page: Page) -> str:
    """The uuid of the unit plan the page shows (from its .docx link)."""
    href = page.locator("#docx-link").get_attribute("href") or ""
    match = re.search(r"/unit-plans/([0-9a-f-]{36})/", href)
    assert match, href
    return match.group(1)


def docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)
