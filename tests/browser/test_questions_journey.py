"""A learner on a 360 px phone asks a question in their cohort from the landing page; their core
teacher sees it waiting on their landing page, opens it from their groups and answers; the learner
reads the answer. Screenshots: artifacts/screenshots/questions-*.png.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.training.models import Question, SupportGroup
from conftest import World
from tests.browser.module4 import module4_cohort
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_a_learner_asks_on_a_phone_and_the_core_teacher_answers(
    page: Page, phone_page: Page, new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    cohort = module4_cohort(
        people=[world.people["teacher_a1"]], school=world.u("th_a1"), organiser=world.u("so_a"),
        name="Mô đun 4 — đợt 1", starts_on=timezone.localdate() + timedelta(days=2),
    )  # fmt: skip
    assert SupportGroup.objects.get(cohort=cohort).mentor == world.people["mentor_a1"]

    # 1. The learner, on a phone, opens the cohort's questions from the landing page and asks.
    phone = phone_page
    sign_in(phone, "teacher_a1")
    link = phone.locator(f"#my-cohorts a[href='{reverse('training:questions', kwargs={'uuid': cohort.uuid})}']")
    with phone.expect_navigation():
        link.click()
    phone.locator("#ask summary").click()
    phone.locator("#id_title").fill("Kế hoạch bài dạy làm theo phụ lục nào?")
    phone.locator("#id_body").fill(
        "Em chưa rõ nên dùng phụ lục I hay phụ lục IV của Công văn 5512 cho bài tập mô đun 4."
    )
    screenshot(phone, "questions-1-learner-asks-phone")
    with phone.expect_navigation():
        phone.locator("#ask-form button[type=submit]").click()
    expect(phone.locator("#question-title")).to_have_text("Kế hoạch bài dạy làm theo phụ lục nào?")
    expect(phone.locator("#waiting")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the thread scrolls sideways on a phone ({width} px)"
    screenshot(phone, "questions-2-asked-phone")
    question = Question.objects.get(cohort=cohort)

    # 2. The core teacher sees it waiting on the landing page, opens it from their groups and answers.
    sign_in(page, "mentor_a1")
    expect(page.locator("#waiting")).to_contain_text(vi("Waiting for you"))
    with page.expect_navigation():
        page.locator(f"#waiting a[href='{reverse('training:my_groups')}']").first.click()
    screenshot(page, "questions-3-mentor-groups")
    with page.expect_navigation():
        page.locator("#my-group-list [data-waiting]").click()
    with page.expect_navigation():
        page.locator(f"#questions a[href='{reverse('training:question', kwargs={'uuid': question.uuid})}']").click()
    page.locator("#id_body").fill("Em dùng phụ lục IV (kế hoạch bài dạy). Phụ lục I là kế hoạch tổ chuyên môn.")
    with page.expect_navigation():
        page.locator("#reply-form button[type=submit]").click()
    expect(page.locator("#answered")).to_be_visible()
    screenshot(page, "questions-4-mentor-answered")

    # 3. The learner reads the answer on the phone.
    phone.reload()
    expect(phone.locator("#thread")).to_contain_text("phụ lục IV (kế hoạch bài dạy)")
    expect(phone.locator("#answered")).to_be_visible()
    screenshot(phone, "questions-5-learner-reads-phone")
    question.refresh_from_db()
    assert question.answered_at is not None and question.messages.count() == 2

    # 4. The Sở monitors the interactions from its cohort list: per support group, the six kinds.
    page = new_context().new_page()  # the Sở, in a browser of its own
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('training:list')}")
    with page.expect_navigation():
        page.locator("#interactions-link").click()
    page.locator("#i-by").select_option("group")
    with page.expect_navigation():
        page.locator("#interactions-filter button[type=submit]").click()
    row = page.locator("#interactions tbody tr", has_text="Mô đun 4 — đợt 1")
    expect(row.locator("[data-total]")).to_have_text("2")
    expect(row.locator("[data-kind]").nth(1)).to_have_text("2")  # teacher ↔ core teacher, both messages
    screenshot(page, "questions-6-interactions")
