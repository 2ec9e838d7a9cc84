"""Three-way completion (issue 9): the LMS result is in and the core teacher marked the module passed;
the training institution marks its pass on the cohort's completion page, the Sở sends the list to the
managing offices, the commune office approves its list, and the learner sees the module completed on
a 360 px phone. Interface strings through gettext (`vi`)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from bdtx.catalog.models import Module
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime
from bdtx.training.completion import signal_write
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import Assessor, CompletionList, Enrolment, ScheduleTemplate, SignalSource
from bdtx.training.services import cohort_create, enrolment_bulk_from_plans, groups_split
from conftest import World

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def vi(text: str) -> str:
    with translation.override("vi"):
        return str(translation.gettext(text))


def test_the_institution_marks_the_office_approves_and_the_learner_sees_the_module_completed(
    new_context, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    def as_user(username: str) -> Page:
        page = new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(page, username)
        return page

    module = Module.objects.get(catalog__code="GDPT2018-GV-QD4660", code="MĐ 04")
    year = school_year_current()
    learner = world.people["teacher_a1"]
    plan = PersonalPlan.objects.create(
        person=learner, unit=world.u("th_a1"), school_year=year, regime=Regime.objects.for_year(year),
        status=PlanStatus.APPROVED,
    )  # fmt: skip
    PlanItem.objects.create(plan=plan, programme=Programme.BD03, module=module, title=module.title, hours=40)
    cohort = cohort_create(
        scope=SYSTEM, organiser=world.u("so_a"), school_year=year, name="Mô đun 4 — hoàn thành",
        programme=Programme.BD03, module=module, form="ban_tap_trung", capacity=50, institution=world.u("cs_dt"),
        template=ScheduleTemplate.objects.get(code="7-2-7"), starts_on=date(year.start_year, 10, 5),
    )  # fmt: skip
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=cohort)
    groups_split(scope=SYSTEM, cohort=cohort)
    e = Enrolment.objects.select_related("unit", "completion_list", "person", "cohort").get(
        cohort=cohort, person=learner
    )
    lms_results_import(
        scope=SYSTEM,
        cohort=cohort,
        results=[ResultIn(enrolment_id=e.pk, recorded_at=timezone.now(), reference="t", progress=100, passed=True)],
    )
    signal_write(scope=SYSTEM, enrolment=e, party=Assessor.MENTOR, passed=True, source=SignalSource.PRACTICE)

    # the institution sees what is missing and marks its pass
    page = as_user("institution")
    page.goto(f"{live_server.url}{reverse('training:completion', kwargs={'uuid': cohort.uuid})}")
    row = page.locator(f"#row-{e.uuid}")
    expect(row.locator("[data-party=institution] [data-signal=missing]")).to_be_visible()
    with page.expect_navigation():
        row.locator("[data-party=institution] button[value='1']").click()
    expect(page.locator(f"#row-{e.uuid}")).to_have_attribute("data-completed", "1")
    screenshot(page, "completion-institution-marks")

    # the Sở sends the lists: the commune office of th_a1 gets one
    page = as_user("so_a")
    page.goto(f"{live_server.url}{reverse('training:completion', kwargs={'uuid': cohort.uuid})}")
    with page.expect_navigation():
        page.locator("#send-lists").click()
    expect(page.locator("#completion-lists")).to_contain_text(world.u("xa_a1").name)
    expect(page.locator("#completion-lists [data-status=submitted]")).to_be_visible()

    # the office approves its list
    page = as_user("xa_a1")
    page.goto(f"{live_server.url}{reverse('training:completion_lists')}")
    with page.expect_navigation():
        page.locator("#lists-table a", has_text=cohort.name).click()
    expect(page.locator("#approve")).to_contain_text("1/1")
    screenshot(page, "completion-office-list")
    with page.expect_navigation():
        page.locator("#approve").click()
    expect(page.locator("#list-status")).to_have_attribute("data-status", "approved")
    assert CompletionList.objects.get(cohort=cohort).status == "approved"

    # the learner sees the module completed, on a phone
    sign_in(phone_page, "teacher_a1")
    phone_page.goto(f"{live_server.url}/")
    status = phone_page.locator("#my-cohorts [data-completion]")
    expect(status).to_have_attribute("data-completion", "approved")
    expect(status).to_contain_text(vi("Module completed"))
    screenshot(phone_page, "completion-learner-phone")
