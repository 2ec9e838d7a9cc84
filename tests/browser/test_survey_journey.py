"""Learner surveys in the browser.

(a) A survey of the learner's cohort opens: on a 360 px phone the learner sees the bell's unread
count, opens the "survey waiting" notification, answers the survey, and cannot answer twice; the
Sở's tracking shows one more response.
(b) The Sở creates a questionnaire with the three kinds of question and puts it to every cohort of a
module.

Screenshots: artifacts/screenshots/survey-*.png. Selectors are ids, hrefs from `reverse()` and
interface strings through gettext (`vi`).
"""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.accounts.selectors import scope_for_user
from bdtx.notifications.models import Notification
from bdtx.surveys.models import QuestionKind, Questionnaire, Submission, Survey
from bdtx.surveys.services import survey_attach
from conftest import World
from tests.browser.module4 import module4, module4_cohort

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways on a phone ({width} px)"


def test_a_learner_is_told_of_a_survey_on_a_phone_and_answers_it_once(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    cohort = module4_cohort(
        people=[world.people["teacher_a1"], world.people["colleague_a1"]], school=world.u("th_a1"),
        organiser=world.u("so_a"), name="Mô đun 4 — đợt khảo sát", starts_on=timezone.localdate() - timedelta(days=30),
    )  # fmt: skip
    shared = Questionnaire.objects.get(owner=None, title__startswith="Phiếu khảo sát ý kiến học viên")
    today = timezone.localdate()
    survey = survey_attach(
        scope=scope_for_user(world.users["so_a"]),
        cohort=cohort,
        questionnaire=shared,
        opens_on=today,
        closes_on=today + timedelta(days=14),
    )
    told = Notification.objects.get(kind="survey.waiting")  # the survey opened: its learner is told at once
    assert told.user == world.users["teacher_a1"]

    # 1. On the phone, the bell shows one unread notification; the list shows the survey waiting.
    phone = phone_page
    sign_in(phone, "teacher_a1")
    badge = phone.locator("[data-unread-count]")
    expect(badge).to_have_text("1")
    expect(badge).to_be_visible()
    screenshot(phone, "survey-1-bell-phone")
    with phone.expect_navigation():
        phone.locator(".navbar-bell").click()
    item = phone.locator("[data-kind='survey.waiting']")
    expect(item).to_contain_text(shared.title)
    _fits(phone)
    screenshot(phone, "survey-2-notifications-phone")

    # 2. Opening it leads to the form; the learner answers every question.
    with phone.expect_navigation():
        item.locator("a").first.click()
    assert phone.url.endswith(reverse("surveys:answer", kwargs={"uuid": survey.uuid}))
    expect(phone.locator("#anonymous")).to_be_visible()
    for q in shared.questions.order_by("position"):
        if q.kind == QuestionKind.OPEN:
            phone.locator(f"#q{q.pk}").fill("Cần thêm ví dụ minh họa.")
        else:  # "agree" on a scale; the first of a choice
            phone.locator(f"label[for='q{q.pk}-{4 if q.kind == QuestionKind.LIKERT5 else 0}']").click()
    _fits(phone)
    screenshot(phone, "survey-3-form-phone")
    with phone.expect_navigation():
        phone.locator("#answer-form button[type=submit]").click()
    expect(phone.locator(".alert-success").first).to_be_visible()
    expect(badge).to_be_hidden()  # opened: nothing unread any more
    screenshot(phone, "survey-4-thanks-phone")

    # 3. Back to the form: answered already, no form to send again.
    phone.goto(f"{live_server.url}{reverse('surveys:answer', kwargs={'uuid': survey.uuid})}")
    expect(phone.locator("#already")).to_be_visible()
    expect(phone.locator("#answer-form")).to_have_count(0)
    screenshot(phone, "survey-5-already-phone")
    assert Submission.objects.filter(survey=survey).count() == 1

    # 4. The Sở's tracking: one of the two learners answered.
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('surveys:tracking', kwargs={'uuid': survey.uuid})}")
    expect(page.locator("#answered")).to_have_text("1")
    expect(page.locator("#enrolled")).to_have_text("2")
    expect(page.locator("#waiting")).to_contain_text(world.people["colleague_a1"].full_name)
    expect(page.locator("#waiting")).not_to_contain_text(world.people["teacher_a1"].full_name)
    screenshot(page, "survey-6-tracking")


def test_an_office_creates_a_questionnaire_with_three_kinds_and_puts_it_to_a_module(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    for n in (1, 2):
        module4_cohort(
            people=[], school=world.u("th_a1"), organiser=world.u("so_a"), name=f"Mô đun 4 — lớp {n}",
            starts_on=timezone.localdate() + timedelta(days=10),
        )  # fmt: skip

    # 1. From the survey list to a new questionnaire.
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('surveys:list')}")
    with page.expect_navigation():
        page.locator("#questionnaires-link").click()
    screenshot(page, "survey-7-questionnaires")
    with page.expect_navigation():
        page.locator("#new-questionnaire").click()
    page.locator("#id_title").fill("Phiếu ý kiến mô đun 4")
    page.locator("#id_status").select_option("published")
    page.locator("#id_q-0-text").fill("Nội dung mô đun giúp tôi soạn kế hoạch bài dạy.")
    page.locator("#id_q-0-counts_for_satisfaction").check()
    page.locator("#id_q-1-kind").select_option("single")
    page.locator("#id_q-1-text").fill("Bạn học chủ yếu bằng thiết bị nào?")
    page.locator("#id_q-1-choices").fill("Điện thoại\nMáy tính\nMáy tính bảng")
    page.locator("#id_q-2-kind").select_option("open")
    page.locator("#id_q-2-text").fill("Bạn muốn đề xuất gì cho đợt sau?")
    page.locator("#id_q-2-required").uncheck()
    screenshot(page, "survey-8-new-questionnaire")
    with page.expect_navigation():
        page.locator("#questionnaire-form button[type=submit]").click()
    expect(page.locator("#questions > li")).to_have_count(3)
    expect(page.locator("#questions")).to_contain_text("Máy tính bảng")
    qn = Questionnaire.objects.get(title="Phiếu ý kiến mô đun 4")
    assert list(qn.questions.order_by("position").values_list("kind", flat=True)) == ["likert5", "single", "open"]
    screenshot(page, "survey-9-questionnaire")

    # 2. Put it to every cohort of module 4.
    page.goto(f"{live_server.url}{reverse('surveys:list')}")
    with page.expect_navigation():
        page.locator("#attach-module-link").click()
    page.locator("#id_module").select_option(str(module4().pk))
    page.locator("#id_questionnaire").select_option(str(qn.pk))
    screenshot(page, "survey-10-attach-module")
    with page.expect_navigation():
        page.locator("#attach-module-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("2")
    expect(page.locator("#survey-cohorts")).to_contain_text("Phiếu ý kiến mô đun 4")
    assert Survey.objects.filter(questionnaire=qn).count() == 2
    screenshot(page, "survey-11-attached")

    # 3. The same form on a phone: nothing scrolls sideways.
    phone = phone_page
    sign_in(phone, "so_a")
    phone.goto(f"{live_server.url}{reverse('surveys:questionnaire_edit', kwargs={'uuid': qn.uuid})}")
    expect(phone.locator("#id_q-0-text")).to_have_value("Nội dung mô đun giúp tôi soạn kế hoạch bài dạy.")
    _fits(phone)
    screenshot(phone, "survey-12-questionnaire-phone")
