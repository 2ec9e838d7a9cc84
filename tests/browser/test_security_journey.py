"""Security in a real browser: the Content-Security-Policy blocks nothing the pages need (confirm
dialogs, selects that submit, htmx), and the Vietnamese messages of sign-in throttling, account
unlocking and the reset-mail limit, with their screenshots."""

import re
from collections.abc import Callable
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from bdtx.accounts.models import FailedLogin, PasswordResetRequest, RoleAssignment
from bdtx.catalog.models import Module
from conftest import PASSWORD, World

Shot = Callable[[Page, str], Path]


def _csp_errors(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            errors.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    return errors


def test_the_pages_work_under_the_content_security_policy(page: Page, live_server, world: World, sign_in) -> None:
    errors = _csp_errors(page)
    sign_in(page, "so_a")
    school = world.u("th_a1")

    # a select that submits its form when it changes (was onchange="this.form.submit()")
    page.goto(f"{live_server.url}{reverse('home:unit', kwargs={'uuid': school.uuid})}")
    year = page.locator("select#year")
    other = year.locator("option:not(:checked)").first.get_attribute("value")
    with page.expect_navigation():
        year.select_option(other)
    expect(page).to_have_url(re.compile(rf"[?&]year={other}"))

    # a form that asks before it submits (was onsubmit="return confirm(…)"): cancelling keeps the role
    page.goto(f"{live_server.url}{reverse('accounts:users')}?q=principal_a1")
    asked: list[str] = []

    def dismiss(dialog) -> None:  # type: ignore[no-untyped-def]
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name=re.compile("Thu hồi")).first.click()
    expect(page).to_have_url(re.compile(r"/accounts/users/"))
    assert asked and RoleAssignment.objects.filter(user=world.users["principal_a1"], active=True).exists()

    # htmx still swaps the table in place (no eval, no inline script needed)
    page.goto(f"{live_server.url}{reverse('people:list')}")
    page.locator("input[name=q]").press_sequentially("Đào")
    expect(page).to_have_url(re.compile(r"[?&]q="))
    expect(page.locator("#staff-table")).to_contain_text(world.people["teacher_a1"].full_name)

    # the other pages whose inline handlers moved to bdtx.js
    module = Module.objects.filter(active=True).order_by("pk").first()
    assert module is not None
    for url in [
        reverse("catalog:module", kwargs={"uuid": module.uuid}),
        reverse("catalog:content"),
        reverse("plans:board"),
        reverse("regimes:hours"),
        reverse("home:home"),
    ]:
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("main")).to_be_visible()
    assert not errors, "\n".join(errors)

    # the policy is enforced, and the watch above sees it refusing: an injected inline handler does not run
    page.evaluate(
        """document.body.insertAdjacentHTML('beforeend', '<img src="x" alt="" onerror="document.title=1">')"""
    )
    expect(page.locator("img[src=x]")).to_have_count(1)
    page.wait_for_timeout(300)
    assert page.title() != "1" and errors and "inline event handler" in errors[0]


def test_throttling_messages_and_the_unlock_button(page: Page, live_server, world: World, sign_in, screenshot: Shot):
    errors = _csp_errors(page)
    principal = world.users["principal_a1"]
    # 1. An account locked by wrong passwords: the message says what to do.
    FailedLogin.objects.bulk_create([FailedLogin(username="principal_a1", user=principal) for _ in range(5)])
    sign_in(page, "principal_a1")
    alert = page.locator(".alert-danger")
    expect(alert).to_contain_text("Tài khoản này đang bị khoá")
    expect(alert).to_contain_text("Quên mật khẩu?")
    screenshot(page, "security-login-locked")

    # 2. An address with many failures (made-up names) waits; it is not locked out.
    FailedLogin.objects.bulk_create([FailedLogin(username=f"khong-co-ai-{i}", ip="127.0.0.1") for i in range(50)])
    sign_in(page, "sysadmin")
    expect(page.locator(".alert-danger")).to_contain_text("Hãy chờ")
    screenshot(page, "security-login-slow-down")
    FailedLogin.objects.filter(user__isnull=True).delete()

    # 3. The commune's office sees the locked account and unlocks it.
    sign_in(page, "xa_a1")
    page.goto(f"{live_server.url}{reverse('accounts:users')}?q=principal_a1")
    expect(page.locator("[data-locked]")).to_have_text("Đang bị khoá")
    unlock = page.get_by_role("button", name="Mở khoá")
    expect(unlock).to_be_visible()
    screenshot(page, "security-accounts-locked-unlock-button")
    with page.expect_navigation():
        unlock.click()
    expect(page.locator(".alert-success")).to_contain_text("Đã mở khoá tài khoản principal_a1")
    expect(page.locator("[data-locked]")).to_have_count(0)
    screenshot(page, "security-accounts-unlocked")
    page.context.clear_cookies()
    sign_in(page, "principal_a1", PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")

    # 4. Reset mails: an address that asked too often is told to wait, nothing about accounts.
    page.context.clear_cookies()
    PasswordResetRequest.objects.bulk_create([PasswordResetRequest(ip="127.0.0.1") for _ in range(10)])
    page.goto(f"{live_server.url}{reverse('accounts:password_reset')}")
    page.locator("#id_email").fill("principal_a1@example.edu.vn")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Gửi")).click()
    expect(page.locator(".alert-danger")).to_contain_text("Có quá nhiều yêu cầu đặt lại mật khẩu")
    screenshot(page, "security-password-reset-too-many")
    PasswordResetRequest.objects.all().delete()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Gửi")).click()
    expect(page.locator(".alert-info")).to_contain_text("tối đa 3 đường liên kết")
    screenshot(page, "security-password-reset-sent")
    assert not errors, "\n".join(errors)
