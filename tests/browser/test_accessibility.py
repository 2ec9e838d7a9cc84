"""Accessibility (WCAG 2.0/2.1 A and AA, checked by axe-core): the key pages of a teacher, a principal
and a Sở, on a desktop and on a 360 px phone, have no serious or critical violation; and the check
that watches every browser journey (tests/browser/accessibility.py) sees pages and htmx swaps by
itself and reports what it finds readably."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import Module
from bdtx.core.selectors import school_year_current
from bdtx.plans.personal.services import plan_start
from conftest import World
from tests.browser.accessibility import AxeWatch

DESKTOP = {"width": 1366, "height": 768}
# pages kept as screenshots (artifacts/screenshots/a11y-<page>-<role>-<size>.png), to see the colours
SHOTS = {
    "home:home": "landing",
    "people:list": "staff-list",
    "plans:mine": "plan-editing",
    "plans:board": "plans-board",
}


def _key_pages(world: World, role: str) -> list[str]:
    """The pages a person of the role uses most (landing, staff list, person page, plan, self-assessment,
    assessments, units, imports, audit log, catalog, cohorts: those the role may open), with the shared world's
    data and the teacher's plan for this year begun."""
    teacher, school = world.people["teacher_a1"], world.u("th_a1")
    year = school_year_current()
    plan = plan_start(scope=scope_for_user(world.users["teacher_a1"]), person=teacher, school_year=year)
    module = Module.objects.filter(active=True).order_by("pk").first()
    assert module is not None
    if role == "teacher_a1":
        return [
            reverse("home:home"),  # what is due next, a "late" badge past the approval date
            reverse("people:detail", kwargs={"uuid": teacher.uuid}),
            reverse("plans:mine"),  # the draft plan, edited here
            reverse("plans:detail", kwargs={"uuid": plan.uuid}),
            reverse("standards:mine"),  # the self-assessment form
            reverse("catalog:content"),
            reverse("catalog:modules"),
            reverse("catalog:module", kwargs={"uuid": module.uuid}),
            reverse("accounts:password_change"),
        ]
    if role == "principal_a1":
        return [
            reverse("home:home"),
            reverse("home:unit", kwargs={"uuid": school.uuid}),
            reverse("organisations:list"),
            reverse("people:list"),  # the filter bar of nine dropdowns
            reverse("people:detail", kwargs={"uuid": teacher.uuid}),
            reverse("people:edit", kwargs={"uuid": teacher.uuid}),
            reverse("people:find"),
            reverse("plans:list"),
            reverse("plans:detail", kwargs={"uuid": plan.uuid}),
            reverse("plans:board"),
            reverse("plans:unit_plan_of", kwargs={"uuid": school.uuid, "year": year.pk}),
            reverse("standards:list"),
            reverse("imports:list"),
            reverse("imports:new", kwargs={"kind": "staff"}),
            reverse("core:audit"),
            reverse("catalog:modules"),
            reverse("accounts:users"),
        ]
    return [
        reverse("home:home"),
        reverse("organisations:list"),
        reverse("people:list"),
        reverse("people:detail", kwargs={"uuid": teacher.uuid}),
        reverse("plans:list"),
        reverse("plans:board"),
        reverse("plans:deadlines"),
        reverse("standards:list"),
        reverse("standards:frameworks"),
        reverse("imports:list"),
        reverse("core:audit"),
        reverse("catalog:catalogs"),
        reverse("catalog:content"),
        reverse("catalog:modules"),
        reverse("regimes:list"),
        reverse("regimes:hours"),
        reverse("home:data_sources"),
        reverse("training:list"),
        reverse("training:new"),
    ]


@pytest.mark.parametrize("role", ["teacher_a1", "principal_a1", "so_a"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_key_pages_of_each_role_have_no_serious_accessibility_violation(
    request: pytest.FixtureRequest,
    new_context: Callable[..., BrowserContext],
    live_server,
    world: World,
    sign_in,
    axe_watch: AxeWatch,
    screenshot: Callable[[Page, str], Path],
    role: str,
    size: str,
) -> None:
    page: Page = (
        new_context(viewport=DESKTOP).new_page() if size == "desktop" else request.getfixturevalue("phone_page")
    )
    paths = [reverse("accounts:login"), *_key_pages(world, role)]
    shots = {reverse(name): slug for name, slug in SHOTS.items()}
    sign_in(page, role)
    for path in paths[1:]:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(page.locator("main")).to_be_visible()
        if path in shots:
            screenshot(page, f"a11y-{shots[path]}-{role}-{size}")
    axe_watch.check_open_pages()

    checked = {url.removeprefix(live_server.url).split("?")[0] for url in axe_watch.checked}
    assert not [p for p in paths if p not in checked], "pages left unchecked"
    assert not axe_watch.errors, axe_watch.errors
    # the serious and critical violations fail the test (tests/browser/conftest.py) with axe's report


UNNAMED_SELECT = '<select id="unnamed"><option>1</option></select>'
FAINT_TEXT = '<p id="faint" style="color: #bbb">Chữ quá nhạt</p>'


def _soon(page: Page, condition: Callable[[], bool]) -> None:
    """Wait (letting the browser's events through) until the condition holds, at most 10 s."""
    for _ in range(200):
        if condition():
            return
        page.wait_for_timeout(50)
    assert condition()


def test_the_watch_checks_each_page_and_htmx_swap_by_itself_and_reports_readably(
    page: Page, live_server, world: World, axe_watch: AxeWatch
) -> None:
    # Two pages and an htmx fragment, served in the live server's origin: a violation on the first
    # page and in the fragment, none on the second page.
    first, second = f"{live_server.url}/a11y-check/1/", f"{live_server.url}/a11y-check/2/"
    fragment = f"{live_server.url}/a11y-check/fragment/"
    head = '<!doctype html><html lang="vi"><head><title>Kiểm tra</title>'
    head += '<script src="/static/vendor/htmx/htmx.min.js"></script>'
    pages = {
        first: f"{head}</head><body><main><h1>Một</h1>{FAINT_TEXT}</main></body></html>",
        second: (
            f"{head}</head><body><main><h1>Hai</h1>"
            f'<button id="more" hx-get="{fragment}" hx-target="#slot">Thêm</button>'
            '<div id="slot"></div></main></body></html>'
        ),
        fragment: UNNAMED_SELECT,
    }
    page.route(
        f"{live_server.url}/a11y-check/**",
        lambda route: route.fulfill(content_type="text/html", body=pages[route.request.url]),
    )

    # Each page is checked when it has loaded, without being asked, even one the journey leaves at once.
    page.goto(first)
    page.goto(second)
    assert axe_watch.checked == [first, second]
    assert [(v.url, v.rule) for v in axe_watch.violations] == [(first, "color-contrast")]
    page.locator("#more").click()  # checked again once htmx has swapped the fragment in
    expect(page.locator("#unnamed")).to_be_visible()
    _soon(page, lambda: {v.rule for v in axe_watch.violations} == {"color-contrast", "select-name"})

    found = {v.rule: v for v in axe_watch.violations}
    assert (found["color-contrast"].impact, found["color-contrast"].targets) == ("serious", ("#faint",))
    assert (found["select-name"].impact, found["select-name"].targets) == ("critical", ("#unnamed",))
    assert found["select-name"].url == second
    # The test would fail with this report, which names the page, the rule, its impact and the elements.
    with pytest.raises(AssertionError) as failure:
        axe_watch.finish()
    report = str(failure.value)
    assert "select-name (critical)" in report and "#unnamed" in report and second in report
    assert "color-contrast (serious)" in report and "#faint" in report and first in report

    # Fixed, the page passes (and this test with it).
    page.evaluate("document.querySelector('#unnamed').remove()")
    axe_watch.violations.clear()
    axe_watch.finish()
