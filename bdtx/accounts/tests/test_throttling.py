"""Sign-in throttling behind the documented proxy (nginx → gunicorn, X-Forwarded-For): nobody can
lock everyone out, made-up names lock nothing, a reset or an administrator unlocks an account,
and reset mails are rate-limited without telling whether an account exists."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from bdtx.accounts.models import FailedLogin, RoleAssignment
from bdtx.accounts.services import account_unlock
from bdtx.core.models import AuditLog
from conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # every request reaches gunicorn from nginx on the same machine
ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _behind_nginx(settings):
    settings.TRUSTED_PROXIES = 1
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW_MINUTES = 15
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS = 60
    settings.PASSWORD_RESET_ACCOUNT_LIMIT = 3
    settings.PASSWORD_RESET_ADDRESS_LIMIT = 10


def _login(client, username, password, address):
    # what nginx sends: the address it saw, appended to whatever the client wrote
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"10.0.0.1, {address}",
    )


def _codes(response):
    return [e.code for e in response.context["form"].non_field_errors().as_data()]


def _lock(client, username, address="198.51.100.99"):
    for _ in range(5):
        _login(client, username, "sai-mat-khau", address)


def _age_failures(seconds, **filters):
    FailedLogin.objects.filter(**filters).update(at=timezone.now() - timedelta(seconds=seconds))


# --- nobody locks everyone out ---------------------------------------------------------------


def test_fifty_failures_with_made_up_names_from_one_address_lock_out_nobody_else(world, client):
    for i in range(50):
        r = _login(client, f"khong-co-ai-{i}", "doan-bua", ATTACKER)
        assert r.status_code == 200 and _codes(r) == ["invalid_login"]
    # a teacher and the administrator, from their own addresses, sign in at once
    assert _login(client, "principal_a1", PASSWORD, "198.51.100.20").status_code == 302
    client.logout()
    assert _login(client, "sysadmin", PASSWORD, "198.51.100.21").status_code == 302
    client.logout()
    # the attacking address is slowed down, not locked: it must wait before its next try …
    _age_failures(0, ip=ATTACKER)  # (as if the sign-ins above took no time)
    r = _login(client, "sysadmin", PASSWORD, ATTACKER)
    assert _codes(r) == ["slow_down"]
    assert "chờ 1 giây" in r.content.decode()  # the first wait: one second
    # … and once the wait is over, a right password from that address works (a school's NAT)
    _age_failures(2, ip=ATTACKER)
    assert _login(client, "sysadmin", PASSWORD, ATTACKER).status_code == 302


def test_without_the_proxy_setting_everyone_shares_the_proxys_address_but_is_only_slowed(world, client, settings):
    """The misconfiguration the probe found: all users behind nginx seem to come from 127.0.0.1."""
    settings.TRUSTED_PROXIES = 0
    for i in range(50):
        _login(client, f"khong-co-ai-{i}", "doan-bua", ATTACKER)
    _age_failures(0)
    assert _codes(_login(client, "principal_a1", PASSWORD, "198.51.100.20")) == ["slow_down"]
    _age_failures(2)
    assert _login(client, "principal_a1", PASSWORD, "198.51.100.20").status_code == 302


def test_the_wait_of_an_address_doubles_up_to_a_ceiling(world, client, settings):
    from bdtx.accounts.selectors import login_refusal

    settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS = 8
    FailedLogin.objects.bulk_create([FailedLogin(username=f"x{i}", ip=ATTACKER) for i in range(50)])
    waits = []
    for i in range(6):
        refusal = login_refusal(username=f"y{i}", ip=ATTACKER)
        assert refusal is not None and refusal.code == "slow_down"
        waits.append(refusal.seconds)
        FailedLogin.objects.create(username=f"y{i}", ip=ATTACKER)
    assert waits == [1, 2, 4, 8, 8, 8]
    assert login_refusal(username="y0", ip="198.51.100.1") is None


def test_failures_leave_the_window(world, client):
    _lock(client, "principal_a1")
    assert _codes(_login(client, "principal_a1", PASSWORD, "198.51.100.20")) == ["throttled"]
    _age_failures(16 * 60)
    assert _login(client, "principal_a1", PASSWORD, "198.51.100.20").status_code == 302


# --- unknown names never lock a real account ---------------------------------------------------


@pytest.mark.parametrize("typed", ["Principal_A1", "PRINCIPAL_A1", "principal_a1x", "principal_a"])
def test_failures_for_names_that_are_no_account_never_lock_a_real_one(world, client, typed):
    for _ in range(10):
        _login(client, typed, "sai-mat-khau", ATTACKER)
    assert _login(client, "principal_a1", PASSWORD, "198.51.100.20").status_code == 302


def test_a_made_up_name_reads_as_locked_like_a_real_one_so_names_cannot_be_probed(world, client):
    _lock(client, "khong-co-ai")
    _lock(client, "principal_a1")
    fake = _login(client, "khong-co-ai", "x", ATTACKER)
    real = _login(client, "principal_a1", "x", ATTACKER)
    assert _codes(fake) == _codes(real) == ["throttled"]
    # an account created later under that name starts unlocked
    User.objects.create_user("khong-co-ai", password=PASSWORD)
    assert _login(client, "khong-co-ai", PASSWORD, "198.51.100.20").status_code == 302


def test_the_lock_message_says_what_to_do_in_vietnamese(world, client):
    _lock(client, "principal_a1")
    with translation.override("vi"):
        r = _login(client, "principal_a1", PASSWORD, "198.51.100.20")
    text = r.content.decode()
    assert "Tài khoản này đang bị khoá" in text and "Quên mật khẩu?" in text
    assert "mở khoá" in text and "15 phút" in text


# --- a password reset unlocks -------------------------------------------------------------------


def _reset(client, email, address="198.51.100.30"):
    return client.post(
        reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
    )


def test_a_password_reset_unlocks_the_account(world, client):
    _lock(client, "principal_a1")
    assert _codes(_login(client, "principal_a1", PASSWORD, "198.51.100.20")) == ["throttled"]
    _reset(client, "principal_a1@example.edu.vn")
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    r = client.get(link.split("testserver", 1)[1], follow=True)
    new = "Mot-mat-khau-moi-2025"
    client.post(r.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    client.logout()
    assert _login(client, "principal_a1", new, "198.51.100.20").status_code == 302


# --- an administrator unlocks --------------------------------------------------------------------


def _assignment(world, username):
    return RoleAssignment.objects.get(user=world.users[username], active=True)


def _unlock_url(world, username):
    return reverse("accounts:account_unlock", kwargs={"uuid": _assignment(world, username).uuid})


@pytest.mark.parametrize("admin", ["xa_a1", "so_a", "sysadmin"])
def test_an_authority_over_the_school_sees_the_lock_and_unlocks_the_account(world, client, admin):
    _lock(client, "principal_a1")
    client.force_login(world.users[admin])
    page = client.get(reverse("accounts:users"), {"q": "principal_a1"}).content.decode()
    assert "data-locked" in page and _unlock_url(world, "principal_a1") in page
    r = client.post(_unlock_url(world, "principal_a1"))
    assert r.status_code == 302
    entry = AuditLog.objects.get(action="account.unlock")
    assert entry.actor_id == world.users[admin].pk and entry.changes["failed_logins"] == [5, 0]
    client.logout()
    assert _login(client, "principal_a1", PASSWORD, "198.51.100.20").status_code == 302


def test_the_accounts_page_shows_no_unlock_for_accounts_that_are_not_locked(world, client):
    client.force_login(world.users["so_a"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert "data-locked" not in page and "/unlock/" not in page


def test_a_principal_unlocks_a_teacher_of_the_school(world, client):
    _lock(client, "teacher_a1")
    client.force_login(world.users["principal_a1"])
    assert client.post(_unlock_url(world, "teacher_a1")).status_code == 302
    client.logout()
    assert _login(client, "teacher_a1", PASSWORD, "198.51.100.20").status_code == 302


@pytest.mark.parametrize("outsider", ["so_b", "principal_b1", "principal_a2"])
def test_unlocking_an_account_outside_the_scope_is_404(world, client, outsider):
    _lock(client, "principal_a1")
    client.force_login(world.users[outsider])
    assert client.post(_unlock_url(world, "principal_a1")).status_code == 404
    assert FailedLogin.objects.filter(user=world.users["principal_a1"]).count() == 5


@pytest.mark.parametrize("user", ["ministry", "teacher_a1"])
def test_unlocking_without_the_right_to_manage_accounts_is_403(world, client, user):
    _lock(client, "principal_a1")
    client.force_login(world.users[user])
    assert client.post(_unlock_url(world, "principal_a1")).status_code in ((403,) if user == "ministry" else (403, 404))
    assert FailedLogin.objects.filter(user=world.users["principal_a1"]).count() == 5


def test_unlocking_is_post_only(world, client):
    client.force_login(world.users["so_a"])
    assert client.get(_unlock_url(world, "principal_a1")).status_code == 405


def test_the_service_checks_its_own_permission(world, scope_of):
    with pytest.raises(PermissionDenied):
        account_unlock(scope=scope_of("so_b"), user=world.users["principal_a1"])
    with pytest.raises(PermissionDenied):
        account_unlock(scope=scope_of("principal_a1"), user=world.users["sysadmin"])


# --- reset mails are rate-limited ---------------------------------------------------------------


def test_an_account_gets_a_few_reset_mails_an_hour_and_the_page_never_says_so(world, client):
    answers = [_reset(client, "principal_a1@example.edu.vn", f"198.51.100.{i}") for i in range(5)]
    assert len(mail.outbox) == 3  # from five different addresses: the account's own limit
    unknown = _reset(client, "khong-co-ai@example.edu.vn")
    for r in [*answers, unknown]:
        assert r.status_code == 302 and r["Location"] == reverse("accounts:password_reset_done")


def test_an_address_asking_for_many_reset_mails_is_told_to_wait_without_learning_about_accounts(world, client):
    for i in range(10):
        assert _reset(client, f"khong-co-ai-{i}@example.edu.vn", ATTACKER).status_code == 302
    with translation.override("vi"):
        refused = _reset(client, "principal_a1@example.edu.vn", ATTACKER)
    assert refused.status_code == 200 and "Có quá nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert not mail.outbox
    # another address is not affected
    assert _reset(client, "principal_a1@example.edu.vn", "198.51.100.40").status_code == 302
    assert len(mail.outbox) == 1


def test_the_reset_records_go_after_a_day(world, client):
    from bdtx.accounts.models import PasswordResetRequest

    _reset(client, "principal_a1@example.edu.vn")
    PasswordResetRequest.objects.update(at=timezone.now() - timedelta(days=2))
    _reset(client, "principal_a1@example.edu.vn")
    assert PasswordResetRequest.objects.count() == 1
