"""A trainer with a staff record: the Sở finds a core teacher by name on the cohort page (htmx search)
and links them as trainer; the core teacher, on a 360 px phone, follows the landing page's link to
"My sessions" and opens the roster of the next session.

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
from bdtx.regimes.models import Programme
from bdtx.training.models import CohortSession, Trainer
from bdtx.training.services import cohort_create
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_the_department_links_a_core_teacher_as_trainer_who_finds_their_sessions_on_a_phone(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    module = Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")
    cohort = cohort_create(
        scope=SYSTEM,
        organiser=world.u("so_a"),
        school_year=school_year_current(),
        name="Mô đun 4 — lớp báo cáo viên",
        programme=Programme.BD03,
        module=module,
        form="ban_tap_trung",
        capacity=50,
    )
    start = timezone.localtime().replace(hour=7, minute=30, second=0, microsecond=0) + timedelta(days=2)
    for days, venue in ((0, "Hội trường Sở GD&ĐT"), (7, "Phòng họp trường THPT Tỉnh An"), (-20, "Nhà văn hóa xã")):
        CohortSession.objects.create(
            cohort=cohort,
            venue=venue,
            starts_at=start + timedelta(days=days),
            ends_at=start + timedelta(days=days, hours=3),
        )

    # 1. The Sở searches its staff by name on the cohort page and links the core teacher.
    sign_in(page, "so_a")
    page.goto(live_server.url + reverse("training:detail", kwargs={"uuid": cohort.uuid}))
    page.locator("#trainer-form").locator("xpath=..").locator("summary").click()
    page.locator("#trainer-person-q").fill("Trần Văn Hùng")
    choice = page.locator(f'#trainer-people input[data-person="{world.people["mentor_a1"].uuid}"]')
    expect(choice).to_be_visible()
    choice.check()
    page.locator("#id_degree").select_option("master")
    page.locator("#id_years_experience").fill("4")
    page.locator("#id_it_skills").check()
    with page.expect_navigation():
        page.locator("#trainer-form button[type=submit]").click()
    expect(page.locator("#trainers")).to_contain_text("Trần Văn Hùng")
    assert Trainer.objects.get(cohort=cohort).person_id == world.people["mentor_a1"].pk

    # 2. The core teacher, on a phone, goes from the landing page to their sessions.
    sign_in(phone_page, "mentor_a1")
    phone_page.goto(live_server.url + reverse("home:home"))
    with phone_page.expect_navigation():
        phone_page.locator("#my-sessions-link").click()
    expect(phone_page.locator("h1")).to_contain_text(vi("My sessions as a trainer"))
    rows = phone_page.locator("#my-sessions tbody tr[data-session]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Hội trường Sở GD&ĐT")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"
    screenshot(phone_page, "trainer-my-sessions-phone")
    with phone_page.expect_navigation():
        rows.first.locator("[data-roster]").click()
    expect(phone_page.locator("h1")).to_be_visible()
    assert "/attendance/" in phone_page.url
