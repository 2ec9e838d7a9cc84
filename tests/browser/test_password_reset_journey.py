"""Issue 8, no e-mail and no way back in: a principal gives a teacher a one-time password, the teacher
signs in with it on their phone, is made to choose their own, then reaches the landing page."""

import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Dialog, Page, expect

from bdtx.accounts.models import PasswordChangeRequired
from conftest import PASSWORD, World

Shot = Callable[[Page, str], Path]


def _watch_csp(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            errors.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    return errors


def test_a_principal_resets_a_teachers_password_and_the_teacher_must_change_it(
    page: Page, phone_page: Page, live_server, world: World, sign_in, screenshot: Shot
) -> None:
    errors = _watch_csp(page) + _watch_csp(phone_page)
    teacher = world.people["teacher_a1"]

    # 1. The accounts page offers the reset next to each account the principal is over.
    sign_in(page, "principal_a1")
    page.goto(f"{live_server.url}{reverse('accounts:users')}?q=teacher_a1")
    row = page.locator("tr", has=page.locator("code", has_text="teacher_a1"))
    expect(row.get_by_role("button", name="Đặt lại mật khẩu")).to_be_visible()
    screenshot(page, "password-reset-accounts-page")

    # 2. From the teacher's page: the button asks first; cancelling changes nothing.
    page.goto(f"{live_server.url}{reverse('people:detail', args=[teacher.uuid])}")
    button = page.get_by_role("button", name="Đặt lại mật khẩu")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    expect(page).to_have_url(re.compile(r"/people/"))
    assert asked and "teacher_a1" in asked[0] and "mật khẩu dùng một lần" in asked[0]
    assert not PasswordChangeRequired.objects.filter(user=world.users["teacher_a1"]).exists()
    screenshot(page, "password-reset-person-page")

    # 3. Accepted: the one-time password, shown once, never cached, with what to do with it.
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    assert response is not None and "no-store" in (response.headers.get("cache-control") or "")
    shown = page.locator("#one-time-password")
    expect(shown).to_be_visible()
    password = shown.inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{10}", password)
    assert password not in page.url
    expect(page.locator("main")).to_contain_text("đọc qua điện thoại")
    screenshot(page, "password-reset-one-time-password")

    # 4. The teacher, on a phone: the one-time password signs in, straight to the change form.
    sign_in(phone_page, "teacher_a1", password)
    change_url = f"{live_server.url}{reverse('accounts:password_change')}"
    expect(phone_page).to_have_url(change_url)
    expect(phone_page.locator("#one-time-notice")).to_contain_text("mật khẩu dùng một lần")
    screenshot(phone_page, "password-reset-forced-change")

    # Any other page sends back to it.
    phone_page.goto(f"{live_server.url}{reverse('plans:mine')}")
    expect(phone_page).to_have_url(change_url)

    # Keeping the one-time password is refused.
    phone_page.locator("#id_old_password").fill(password)
    phone_page.locator("#id_new_password1").fill(password)
    phone_page.locator("#id_new_password2").fill(password)
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(phone_page.locator(".alert-danger")).to_contain_text("không được giữ lại mật khẩu dùng một lần")
    screenshot(phone_page, "password-reset-one-time-refused")

    # 5. Their own password: the landing page, and the old one no longer works.
    own = "Mat-khau-cua-Dao-2025"
    phone_page.locator("#id_old_password").fill(password)
    phone_page.locator("#id_new_password1").fill(own)
    phone_page.locator("#id_new_password2").fill(own)
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(phone_page).to_have_url(f"{live_server.url}/")
    expect(phone_page.locator(".alert-success")).to_contain_text("Đã đổi mật khẩu")
    screenshot(phone_page, "password-reset-landing-after-change")
    phone_page.goto(f"{live_server.url}{reverse('plans:mine')}")
    expect(phone_page).to_have_url(f"{live_server.url}{reverse('plans:mine')}")

    phone_page.context.clear_cookies()
    for wrong in (password, PASSWORD):
        sign_in(phone_page, "teacher_a1", wrong)
        expect(phone_page.locator(".alert-danger")).to_be_visible()
    sign_in(phone_page, "teacher_a1", own)
    expect(phone_page).to_have_url(f"{live_server.url}/")
    assert not errors, "\n".join(errors)


def test_the_sign_in_page_says_whom_to_ask_without_an_e_mail_address(
    page: Page, live_server, world: World, screenshot: Shot
) -> None:
    page.goto(f"{live_server.url}{reverse('accounts:login')}")
    expect(page.locator("#no-email-help")).to_contain_text("hiệu trưởng")
    screenshot(page, "password-reset-login-help")
