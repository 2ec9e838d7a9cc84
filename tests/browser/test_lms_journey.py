"""LMS exchange (issue 9): the Sở opens a cohort's LMS page (exports, import form, each learner's LMS
progress), after an LMS pushed a result; the core teacher sees the progress and last activity of
their group on a 360 px phone. Interface strings through gettext (`vi`)."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import Enrolment
from conftest import World
from tests.browser.module4 import module4_cohort
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_the_lms_page_and_the_core_teachers_phone_show_lms_progress(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    people = [world.people["teacher_a1"], *(EmploymentFactory(unit=world.u("th_a1")).person for _ in range(3))]
    cohort = module4_cohort(
        people=people, school=world.u("th_a1"), organiser=world.u("so_a"), name="Mô đun 4 — LMS",
        starts_on=date(school_year_current().start_year, 12, 1),
    )  # fmt: skip
    e = Enrolment.objects.get(cohort=cohort, person=world.people["teacher_a1"])
    lms_results_import(
        scope=SYSTEM,
        cohort=cohort,
        results=[ResultIn(enrolment_id=e.pk, recorded_at=timezone.now(), reference="t", progress=80, passed=True)],
    )

    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('training:detail', kwargs={'uuid': cohort.uuid})}")
    with page.expect_navigation():
        page.locator("#lms-link").click()
    expect(page.locator("#export-xlsx")).to_be_visible()
    expect(page.locator("#lms-learners")).to_contain_text("80%")
    expect(page.locator("#lms-learners")).to_contain_text(vi("Passed"))
    screenshot(page, "lms-cohort-page")

    sign_in(phone_page, "mentor_a1")
    phone_page.goto(f"{live_server.url}{reverse('training:my_groups')}")
    expect(phone_page.locator("#my-members")).to_contain_text("80%")
    screenshot(phone_page, "lms-core-teacher-phone")
