"""The Sở creates a blended cohort for module 4 from the 7-2-7 template, enrols learners from their
approved plans (counts first, then confirm), splits them into core teachers' groups; a learner then
sees the cohort and what comes next on a 360 px phone.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from bdtx.catalog.models import Module
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus, ScheduleTemplate, SupportGroup
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def _approved(person, unit, module: Module) -> None:  # type: ignore[no-untyped-def]
    year = school_year_current()
    plan = PersonalPlan.objects.create(
        person=person, unit=unit, school_year=year, regime=Regime.objects.for_year(year), status=PlanStatus.APPROVED
    )
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=module, title=module.title, hours=40)


def test_a_department_organises_a_blended_cohort_and_the_learner_sees_it_on_a_phone(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    module = Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")
    _approved(world.people["teacher_a1"], world.u("th_a1"), module)
    for unit in ("th_a1", "th_a1", "thcs_a2", "thcs_a2", "thpt_a"):
        _approved(EmploymentFactory(unit=world.u(unit)).person, world.u(unit), module)
    _approved(world.people["teacher_b1"], world.u("th_b1"), module)  # another province: never enrolled here

    # 1. The Sở creates the cohort from the 7-2-7 template.
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('training:list')}")
    with page.expect_navigation():
        page.locator("#cohort-new-link").click()
    form = page.locator("#cohort-form")
    form.locator("#id_organiser").select_option(str(world.u("so_a").pk))
    form.locator("#id_name").fill("Mô đun 4 — đợt 1, bán tập trung")
    form.locator("#id_programme").select_option("BD03")
    form.locator("#id_module").select_option(str(module.pk))
    form.locator("#id_form").select_option("ban_tap_trung")
    form.locator("#id_capacity").fill("5")
    form.locator("#id_institution").select_option(str(world.u("cs_dt").pk))
    form.locator("#id_template").select_option(str(ScheduleTemplate.objects.get(code="7-2-7").pk))
    form.locator("#id_starts_on").fill("2026-12-01")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#cohort-name")).to_have_text("Mô đun 4 — đợt 1, bán tập trung")
    expect(page.locator("#phases tbody tr")).to_have_count(3)
    expect(page.locator("#phases")).to_contain_text("08/12/2026")  # the 2 days in person
    cohort = Cohort.objects.get(name="Mô đun 4 — đợt 1, bán tập trung")
    screenshot(page, "training-1-cohort")

    # 2. Enrol from approved plans: the counts first, nothing written; then confirm.
    with page.expect_navigation():
        page.locator("#enrol-link").click()
    preview = page.locator("#enrol-preview")
    expect(preview.locator("[data-count=eligible]")).to_have_text("6")
    expect(preview.locator("[data-count=to_enrol]")).to_have_text("5")
    expect(preview.locator("[data-count=to_wait]")).to_have_text("1")
    assert not Enrolment.objects.filter(cohort=cohort).exists()
    screenshot(page, "training-2-enrol-preview")
    with page.expect_navigation():
        page.locator("#enrol-confirm button[type=submit]").click()
    expect(page.locator("#cohort-counts [data-count=enrolled]")).to_have_text("5")
    expect(page.locator("#cohort-counts [data-count=waiting]")).to_have_text("1")
    assert not Enrolment.objects.filter(cohort=cohort, person=world.people["teacher_b1"]).exists()

    # 3. Split into support groups: the core teacher of th_a1 leads one.
    with page.expect_navigation():
        page.locator("#groups-link").click()
    with page.expect_navigation():
        page.locator("#split-form button").click()
    expect(page.locator("#groups tbody tr")).to_have_count(1)
    expect(page.locator("#groups")).to_contain_text(world.people["mentor_a1"].full_name)
    expect(page.locator("#members tbody tr")).to_have_count(5)
    assert SupportGroup.objects.filter(cohort=cohort, mentor=world.people["mentor_a1"]).exists()
    screenshot(page, "training-3-groups")

    # 4. The learner, on a phone, sees the cohort, its schedule and what comes next.
    assert Enrolment.objects.get(cohort=cohort, person=world.people["teacher_a1"]).status in (
        EnrolmentStatus.ENROLLED,
        EnrolmentStatus.WAITING,
    )
    sign_in(phone_page, "teacher_a1")
    card = phone_page.locator("#my-cohorts")
    expect(card).to_contain_text(vi("My training cohorts"))
    expect(card).to_contain_text("Mô đun 4 — đợt 1, bán tập trung")
    expect(card.locator("[data-next-step]")).to_contain_text("01/12/2026")
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(phone_page, "training-4-learner-phone")
