"""Attendance at an in-person session: the Sở shows the "QR điểm danh" page in the room; a learner on a
360 px phone opens the check-in link, signs in and is marked present; the Sở sees it on the roster and
marks another learner absent, row by row (htmx).

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.catalog.models import Module
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.models import Attendance, CohortSession, Enrolment
from bdtx.training.services import cohort_create, enrolment_bulk_from_plans
from conftest import PASSWORD, World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def _approved(person, unit, module: Module) -> None:  # type: ignore[no-untyped-def]
    year = school_year_current()
    plan = PersonalPlan.objects.create(
        person=person, unit=unit, school_year=year, regime=Regime.objects.for_year(year), status=PlanStatus.APPROVED
    )
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=module, title=module.title, hours=40)


def test_a_learner_checks_in_by_qr_on_a_phone_and_the_organiser_sees_it_on_the_roster(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    module = Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")
    _approved(world.people["teacher_a1"], world.u("th_a1"), module)
    others = [EmploymentFactory(unit=world.u("th_a1")).person for _ in range(3)]
    for p in others:
        _approved(p, world.u("th_a1"), module)
    cohort = cohort_create(
        scope=SYSTEM,
        organiser=world.u("so_a"),
        school_year=school_year_current(),
        name="Mô đun 4 — lớp học trực tiếp",
        programme=Programme.BD03,
        module=module,
        form="ban_tap_trung",
        capacity=50,
    )
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=cohort)
    start = timezone.now() + timedelta(minutes=10)
    session = CohortSession.objects.create(
        cohort=cohort, venue="Hội trường Sở GD&ĐT", starts_at=start, ends_at=start + timedelta(hours=3)
    )

    # 1. The Sở opens the session's "QR điểm danh" page from the cohort page.
    sign_in(page, "so_a")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{reverse('training:detail', kwargs={'uuid': cohort.uuid})}")
    with page.expect_navigation():
        page.locator(
            f"#cohort-attendance a[href='{reverse('training:attendance_qr', kwargs={'uuid': session.uuid})}']"
        ).click()
    expect(page.locator("h1")).to_have_text(vi("QR check-in"))
    qr = page.locator("#qr-image")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # our own SVG, drawn under the CSP
    link = page.locator("#check-in-url").get_attribute("href")
    assert link and link.startswith(f"{live_server.url}/training/check-in/")
    screenshot(page, "attendance-1-qr")

    # 2. The learner scans it on a phone: asked to sign in, then marked present.
    phone_page.goto(link)
    expect(phone_page.locator("#id_username")).to_be_visible()
    phone_page.locator("#id_username").fill("teacher_a1")
    phone_page.locator("#id_password").fill(PASSWORD)
    with phone_page.expect_navigation():
        phone_page.locator("form button[type=submit]").click()
    result = phone_page.locator("#check-in-result")
    expect(result).to_contain_text(vi("Present"))
    expect(phone_page.locator("body")).to_contain_text(cohort.name)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    screenshot(phone_page, "attendance-2-phone-check-in")
    e = Enrolment.objects.get(cohort=cohort, person=world.people["teacher_a1"])
    assert Attendance.objects.get(session=session, enrolment=e).mark == "present"
    phone_page.goto(link)  # a second scan: nothing changes
    expect(phone_page.locator("#check-in-result")).to_be_visible()
    assert Attendance.objects.filter(session=session).count() == 1

    # 3. The Sở sees it on the roster and marks another learner absent, row by row.
    with page.expect_navigation():
        page.locator("nav[aria-label=breadcrumb] a").last.click()
    row = page.locator(f"#row-{e.uuid}")
    expect(row).to_have_attribute("data-mark", "present")
    expect(row).to_contain_text(vi("QR check-in"))
    absent = Enrolment.objects.get(cohort=cohort, person=others[0])
    other_row = page.locator(f"#row-{absent.uuid}")
    label = other_row.locator(f"label[for='m-{absent.uuid}-absent']")
    expect(label).to_have_text(vi("Absent"))
    label.click()
    expect(page.locator(f"#row-{absent.uuid}")).to_have_attribute("data-mark", "absent")
    expect(page.locator(f"#row-{absent.uuid}")).to_contain_text(vi("Saved."))
    assert Attendance.objects.get(session=session, enrolment=absent).mark == "absent"
    screenshot(page, "attendance-3-roster")

    # Keyboard: the arrow keys move within a row's marks, each change is saved, the focus stays.
    page.locator(f"#m-{absent.uuid}-absent").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#row-{absent.uuid}")).to_have_attribute("data-mark", "excused")
    assert page.evaluate("document.activeElement.id") == f"m-{absent.uuid}-excused"
    assert Attendance.objects.get(session=session, enrolment=absent).mark == "excused"

    # 4. The roster on a phone, as a trainer in the room would use it.
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.locator(f"#row-{e.uuid}")).to_be_visible()
    screenshot(page, "attendance-4-roster-phone")

    # 5. The cohort page counts each session's marks and the learners who meet the threshold.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{reverse('training:detail', kwargs={'uuid': cohort.uuid})}")
    card = page.locator("#cohort-attendance")
    expect(card.locator("[data-count=attendance-met]")).to_have_text("1")
    expect(card.locator("[data-count=attendance-enrolled]")).to_have_text("4")
    card.scroll_into_view_if_needed()
    screenshot(page, "attendance-5-cohort")
