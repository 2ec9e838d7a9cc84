"""LMS administration (issue 9): the Sở opens its LMS connections, gives an LMS a new token after
confirming (the page shows it once, the old one is refused at once), then stops another LMS and sees
it marked inactive. Interface strings through gettext (`vi`)."""

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from bdtx.core.scope import SYSTEM
from bdtx.training.lms import lms_create, lms_for_token
from bdtx.training.models import Lms
from conftest import World
from tests.browser.text import vi

Shot = Callable[[Page, str], Path]

pytestmark = pytest.mark.browser


def test_the_sở_rotates_a_token_and_stops_an_lms(
    page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    viettel, old = lms_create(scope=SYSTEM, unit=world.u("so_a"), name="LMS Viettel tỉnh An")
    Lms.objects.filter(pk=viettel.pk).update(last_used_at=timezone.make_aware(datetime(2026, 11, 20, 8, 30)))
    other, _token = lms_create(scope=SYSTEM, unit=world.u("xa_a1"), name="LMS thử xã Đông")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    sign_in(page, "so_a")
    page.goto(f"{live_server.url}{reverse('training:lms_list')}")
    row = page.locator(f"#lms-{viettel.uuid}")
    expect(row).to_contain_text("20/11/2026 08:30")
    with page.expect_navigation():
        row.locator(".lms-rotate").click()
    assert asked and "LMS Viettel tỉnh An" in asked[0]
    token = page.locator("#lms-token code").inner_text().strip()
    assert token != old and lms_for_token(token) == viettel and lms_for_token(old) is None
    expect(page.locator("#lms-token")).to_contain_text("LMS Viettel tỉnh An")
    screenshot(page, "lms-admin-after-rotation")

    page.goto(f"{live_server.url}{reverse('training:lms_list')}")
    expect(page.locator("#lms-token")).to_have_count(0)
    with page.expect_navigation():
        page.locator(f"#lms-{other.uuid} .lms-deactivate").click()
    expect(page.locator(f"#lms-{other.uuid}")).to_contain_text(vi("inactive"))
    expect(page.locator(f"#lms-{other.uuid} .lms-activate")).to_be_visible()
    assert not Lms.objects.get(pk=other.pk).active
    screenshot(page, "lms-admin-after-deactivation")
