"""A learner on a 360 px phone hands in their practice work from the landing page; their core teacher
sees it to grade on their groups' page and grades it with a comment; the learner reads the grade; the
organiser enters a score in the cohort's score sheet with the keyboard (a decimal comma, saved when
the row is left) and sees a score under the pass mark marked. Screenshots: artifacts/screenshots/scores-*.png.

Selectors are ids, hrefs from `reverse()` and interface strings through gettext (`vi`).
"""

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from bdtx.training.models import (
    CompletionSignal,
    ComponentKind,
    Enrolment,
    PracticeWork,
    Score,
    SupportGroup,
)
from conftest import World
from tests.browser.module4 import module4_cohort
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser

BELOW = re.compile(r"\bscore-below\b")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_a_learner_hands_in_on_a_phone_the_core_teacher_grades_and_the_organiser_enters_scores(
    page: Page, phone_page: Page, new_context, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    cohort = module4_cohort(
        people=[world.people["teacher_a1"]], school=world.u("th_a1"), organiser=world.u("so_a"),
        name="Mô đun 4 — đợt 1", starts_on=timezone.localdate() + timedelta(days=2), institution=world.u("cs_dt"),
    )  # fmt: skip
    assert SupportGroup.objects.get(cohort=cohort).mentor == world.people["mentor_a1"]
    enrolment = Enrolment.objects.get(cohort=cohort, person=world.people["teacher_a1"])
    practice = cohort.components.get(kind=ComponentKind.PRACTICE)
    practice_url = reverse("training:practice", kwargs={"uuid": enrolment.uuid})

    # 1. The learner, on a phone, opens their practice work from the landing page and hands it in.
    phone = phone_page
    sign_in(phone, "teacher_a1")
    with phone.expect_navigation():
        phone.locator(f"#my-cohorts a[href='{practice_url}']").click()
    phone.locator("#id_file").set_input_files(
        {"name": "bai-thu-hoach-md4.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    phone.locator("#id_note").fill("Kế hoạch bài dạy minh họa mô đun 4")
    screenshot(phone, "scores-1-learner-hands-in-phone")
    with phone.expect_navigation():
        phone.locator("#practice-form button[type=submit]").click()
    expect(phone.locator("#practice-list")).to_contain_text("bai-thu-hoach-md4.pdf")
    expect(phone.locator("#practice-list")).to_contain_text(vi("Waiting to be graded"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the practice page scrolls sideways on a phone ({width} px)"
    screenshot(phone, "scores-2-handed-in-phone")
    work = PracticeWork.objects.get(enrolment=enrolment)

    # 2. The core teacher sees it to grade on their groups' page and grades it with a comment.
    sign_in(page, "mentor_a1")
    page.goto(f"{live_server.url}{reverse('training:my_groups')}")
    expect(page.locator("#my-group-list [data-practice-to-grade]")).to_be_visible()
    screenshot(page, "scores-3-mentor-groups")
    with page.expect_navigation():
        page.locator(f"#my-members a[data-practice='{enrolment.uuid}']").click()
    form = page.locator(f"#grade-form-{work.uuid}")
    form.locator("#id_score").fill("4,5")
    form.locator("#id_comment").fill("Cần bổ sung minh chứng vận dụng trong tiết dạy.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#practice-list .practice-grade")).to_contain_text("4,5")
    screenshot(page, "scores-4-mentor-graded")
    work.refresh_from_db()
    assert work.score == Decimal("4.50")
    assert CompletionSignal.objects.get(enrolment=enrolment, party="mentor").passed is False

    # 3. The learner reads the grade and the comment on the phone.
    phone.reload()
    expect(phone.locator("#practice-list .practice-comment")).to_contain_text("Cần bổ sung minh chứng")
    screenshot(phone, "scores-5-learner-reads-phone")

    # 4. The organiser enters a score in the grid with the keyboard: a decimal comma, saved on leaving it.
    so = new_context().new_page()
    sign_in(so, "so_a")
    so.goto(f"{live_server.url}{reverse('training:detail', kwargs={'uuid': cohort.uuid})}")
    with so.expect_navigation():
        so.locator("#scores-link").click()
    cell = so.locator(f"#s-{enrolment.uuid}-{practice.pk}")
    expect(cell).to_have_value("4.5")
    expect(cell).to_have_class(BELOW)
    cell.fill("7,5")
    cell.press("Tab")
    expect(so.locator(f"#status-{enrolment.uuid} [role=status]")).to_have_text(vi("Saved."))
    expect(so.locator(f"#s-{enrolment.uuid}-{practice.pk}")).to_have_value("7.5")
    expect(so.locator(f"#s-{enrolment.uuid}-{practice.pk}")).not_to_have_class(BELOW)
    screenshot(so, "scores-6-organiser-grid")
    score = Score.objects.get(enrolment=enrolment, component=practice)
    assert score.value == Decimal("7.50") and score.source == "grid"
