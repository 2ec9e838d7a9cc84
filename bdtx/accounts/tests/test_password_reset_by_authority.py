"""Issue 8: only about half the staff have an e-mail address, so an authority over a person (their
principal, the office, the Sở, the system administrator) gives them a one-time password, which must
be changed at the next sign-in. Nobody resets the password of a higher authority."""

import logging
import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from bdtx.accounts.models import FailedLogin, PasswordChangeRequired, Role, RoleAssignment
from bdtx.accounts.selectors import accounts_resettable
from bdtx.accounts.services import (
    ONE_TIME_PASSWORD_ALPHABET,
    ONE_TIME_PASSWORD_LENGTH,
    account_password_reset_by_authority,
    role_assign,
)
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.people.models import Person
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _reset(scope, user):
    return account_password_reset_by_authority(scope=scope, user=user)


def _assignment(world, username):
    return RoleAssignment.objects.get(user=world.users[username], active=True)


def _list_url(world, username):
    return reverse("accounts:account_password_reset", kwargs={"uuid": _assignment(world, username).uuid})


def _person_url(world, key):
    return reverse("accounts:person_password_reset", kwargs={"uuid": world.people[key].uuid})


def _still_old_password(world, username):
    user = User.objects.get(pk=world.users[username].pk)
    return user.check_password(PASSWORD) and not PasswordChangeRequired.objects.filter(user=user).exists()


# --- the service ---------------------------------------------------------------------------------


def test_a_principal_gives_a_teacher_a_readable_one_time_password(world, scope_of):
    teacher = world.users["teacher_a1"]
    FailedLogin.objects.bulk_create([FailedLogin(username="teacher_a1", user=teacher) for _ in range(5)])
    password = _reset(scope_of("principal_a1"), teacher)

    assert len(password) == ONE_TIME_PASSWORD_LENGTH and set(password) <= set(ONE_TIME_PASSWORD_ALPHABET)
    assert not set(password) & set("0o1li")
    teacher.refresh_from_db()
    assert teacher.check_password(password) and not teacher.check_password(PASSWORD)
    flag = PasswordChangeRequired.objects.get(user=teacher)
    assert flag.issued_by == world.users["principal_a1"]
    assert not FailedLogin.objects.filter(user=teacher).exists(), "the reset unlocks the account, as a mail reset does"

    entry = AuditLog.objects.get(action="account.password_reset")
    assert entry.actor_id == world.users["principal_a1"].pk
    assert entry.object_uuid == world.people["teacher_a1"].uuid and entry.unit_path == world.u("th_a1").path
    assert entry.changes == {
        "username": ["teacher_a1", "teacher_a1"],
        "must_change_password": [False, True],
        "failed_logins": [5, 0],
    }
    assert password not in f"{entry.changes} {entry.note} {entry.object_repr}"


def test_every_reset_draws_a_new_password(world, scope_of):
    first = _reset(scope_of("principal_a1"), world.users["teacher_a1"])
    second = _reset(scope_of("principal_a1"), world.users["teacher_a1"])
    assert first != second
    assert PasswordChangeRequired.objects.filter(user=world.users["teacher_a1"]).count() == 1
    assert AuditLog.objects.filter(action="account.password_reset").latest("pk").changes["must_change_password"] == [
        True,
        True,
    ]


@pytest.mark.parametrize("authority", ["principal_a1", "xa_a1", "so_a", "sysadmin"])
def test_every_authority_over_the_school_may_reset_a_teachers_password(world, scope_of, authority):
    assert _reset(scope_of(authority), world.users["teacher_a1"])


@pytest.mark.parametrize(
    "actor",
    ["so_b", "principal_b1", "principal_a2", "ministry", "institution", "norole", "mentor_a1", "teacher_a1"],
)
def test_nobody_else_may_reset_a_teachers_password(world, scope_of, actor):
    with pytest.raises(PermissionDenied):
        _reset(scope_of(actor), world.users["teacher_a1"])
    assert _still_old_password(world, "teacher_a1")


def test_an_account_whose_person_works_at_the_school_this_year_needs_no_role_there(world, scope_of):
    user = User.objects.create_user(username="lehong", password=PASSWORD)
    Person.objects.filter(pk=world.people["colleague_a1"].pk).update(user=user)
    assert _reset(scope_of("principal_a1"), user)
    with pytest.raises(PermissionDenied):
        _reset(scope_of("principal_a2"), user)


def test_a_principal_may_reset_a_fellow_administrator_of_the_school(world, scope_of):
    deputy = User.objects.create_user(username="phohieutruong", password=PASSWORD)
    role_assign(scope=SYSTEM, user=deputy, unit=world.u("th_a1"), role=Role.SCHOOL_ADMIN)
    assert _reset(scope_of("principal_a1"), deputy)


@pytest.mark.parametrize("actor", ["principal_a1", "xa_a1"])
def test_nobody_resets_the_password_of_a_higher_authority_even_one_who_works_in_their_school(world, scope_of, actor):
    # the Sở's official also teaches at the school: the school may see them, but not take over the Sở's account
    Person.objects.filter(pk=world.people["colleague_a1"].pk).update(user=world.users["so_a"])
    role_assign(scope=SYSTEM, user=world.users["so_a"], unit=world.u("th_a1"), role=Role.LEARNER)
    with pytest.raises(PermissionDenied):
        _reset(scope_of(actor), world.users["so_a"])
    assert _still_old_password(world, "so_a")
    assert _reset(scope_of("sysadmin"), world.users["so_a"]), "the system administrator stands above the Sở"


def test_a_principal_cannot_reset_an_account_that_also_holds_a_role_at_another_school(world, scope_of):
    role_assign(scope=SYSTEM, user=world.users["teacher_a1"], unit=world.u("th_b1"), role=Role.LEARNER)
    with pytest.raises(PermissionDenied):
        _reset(scope_of("principal_a1"), world.users["teacher_a1"])
    assert _reset(scope_of("sysadmin"), world.users["teacher_a1"])


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_nobody_resets_a_superuser_or_a_django_admin_account_this_way(world, scope_of, flag):
    User.objects.filter(pk=world.users["teacher_a1"].pk).update(**{flag: True})
    teacher = User.objects.get(pk=world.users["teacher_a1"].pk)
    for actor in ("principal_a1", "sysadmin"):
        with pytest.raises(PermissionDenied):
            _reset(scope_of(actor), teacher)


def test_nobody_resets_their_own_password_this_way(world, scope_of):
    with pytest.raises(PermissionDenied):
        _reset(scope_of("principal_a1"), world.users["principal_a1"])


def test_which_accounts_may_be_reset_takes_the_same_queries_for_one_or_many(
    world, scope_of, django_assert_max_num_queries
):
    scope = scope_of("so_a")
    with django_assert_max_num_queries(4):
        one = accounts_resettable(scope=scope, user_ids=[world.users["teacher_a1"].pk])
    with django_assert_max_num_queries(4):
        many = accounts_resettable(scope=scope, user_ids=[u.pk for u in world.users.values()])
    assert set(one) == {world.users["teacher_a1"].pk}
    names = {u.pk: k for k, u in world.users.items()}
    # the institution under the Sở (contracted by it) is below it too
    assert {names[pk] for pk in many} == {
        "xa_a1",
        "principal_a1",
        "principal_a2",
        "teacher_a1",
        "mentor_a1",
        "institution",
    }


# --- the accounts page ---------------------------------------------------------------------------


def test_the_accounts_page_offers_a_reset_for_the_accounts_below_and_none_for_ones_own(world, login):
    page = login(world.users["principal_a1"]).get(reverse("accounts:users")).content.decode()
    assert _list_url(world, "teacher_a1") in page and _list_url(world, "mentor_a1") in page
    assert _list_url(world, "principal_a1") not in page
    assert "Đặt lại mật khẩu" in page and "data-confirm=" in page


def test_the_accounts_page_offers_no_reset_for_a_higher_authority(world, login):
    role_assign(scope=SYSTEM, user=world.users["so_a"], unit=world.u("th_a1"), role=Role.LEARNER)
    page = login(world.users["principal_a1"]).get(reverse("accounts:users"), {"q": "so_a"}).content.decode()
    so_a_at_school = RoleAssignment.objects.get(user=world.users["so_a"], unit=world.u("th_a1"))
    assert "so_a" in page and reverse("accounts:account_password_reset", args=[so_a_at_school.uuid]) not in page


def test_the_one_time_password_is_shown_once_never_cached_nor_logged(world, login, caplog):
    caplog.set_level(logging.DEBUG)
    r = login(world.users["principal_a1"]).post(_list_url(world, "teacher_a1"))
    assert r.status_code == 200
    password = r.context["password"]
    page = r.content.decode()
    assert f'id="one-time-password">{password}<' in page
    assert "trực tiếp, hoặc đọc qua điện thoại" in page and "đăng nhập lần đầu" in page
    assert "no-store" in r["Cache-Control"]
    assert password not in r.wsgi_request.get_full_path()
    assert not any(password in record.getMessage() for record in caplog.records)
    assert not AuditLog.objects.filter(changes__icontains=password).exists()


def test_resetting_is_post_only(world, login):
    assert login(world.users["principal_a1"]).get(_list_url(world, "teacher_a1")).status_code == 405


@pytest.mark.parametrize("outsider", ["so_b", "principal_b1", "principal_a2"])
def test_resetting_an_account_outside_the_scope_is_404(world, login, outsider):
    assert login(world.users[outsider]).post(_list_url(world, "teacher_a1")).status_code == 404
    assert login(world.users[outsider]).post(_person_url(world, "teacher_a1")).status_code == 404
    assert _still_old_password(world, "teacher_a1")


def test_resetting_inside_the_scope_without_the_permission_is_403(world, login):
    client = login(world.users["ministry"])
    assert client.post(_list_url(world, "teacher_a1")).status_code == 403
    assert client.post(_person_url(world, "teacher_a1")).status_code == 403
    assert _still_old_password(world, "teacher_a1")


def test_resetting_a_higher_authority_seen_inside_the_scope_is_403(world, login):
    Person.objects.filter(pk=world.people["colleague_a1"].pk).update(user=world.users["so_a"])
    role_assign(scope=SYSTEM, user=world.users["so_a"], unit=world.u("th_a1"), role=Role.LEARNER)
    client = login(world.users["principal_a1"])
    at_school = RoleAssignment.objects.get(user=world.users["so_a"], unit=world.u("th_a1"))
    assert client.post(reverse("accounts:account_password_reset", args=[at_school.uuid])).status_code == 403
    assert client.post(_person_url(world, "colleague_a1")).status_code == 403
    assert _still_old_password(world, "so_a")


# --- the person page -----------------------------------------------------------------------------


def test_the_person_page_has_the_reset_button_for_an_authority_only(world, login):
    detail = reverse("people:detail", args=[world.people["teacher_a1"].uuid])
    page = login(world.users["principal_a1"]).get(detail).content.decode()
    assert _person_url(world, "teacher_a1") in page and "data-confirm=" in page
    for viewer in ("teacher_a1", "ministry"):
        assert _person_url(world, "teacher_a1") not in login(world.users[viewer]).get(detail).content.decode()
    no_account = reverse("people:detail", args=[world.people["colleague_a1"].uuid])
    assert "/reset-password/" not in login(world.users["principal_a1"]).get(no_account).content.decode()


def test_a_principal_resets_from_the_person_page(world, login):
    r = login(world.users["principal_a1"]).post(_person_url(world, "teacher_a1"))
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    assert User.objects.get(username="teacher_a1").check_password(r.context["password"])
    assert world.people["teacher_a1"].full_name in r.content.decode()


def test_resetting_a_person_without_an_account_is_404(world, login):
    assert login(world.users["principal_a1"]).post(_person_url(world, "colleague_a1")).status_code == 404


# --- the holder must change it -------------------------------------------------------------------


def _one_time(world, scope_of, username="teacher_a1"):
    return _reset(scope_of("principal_a1"), world.users[username])


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, follow=True)


def _change(client, old, new):
    return client.post(
        reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_signing_in_with_a_one_time_password_leads_to_the_change_form(world, scope_of, client):
    password = _one_time(world, scope_of)
    r = _sign_in(client, "teacher_a1", password)
    assert r.redirect_chain[-1][0] == reverse("accounts:password_change")
    page = r.content.decode()
    assert 'id="one-time-notice"' in page and "mật khẩu dùng một lần" in page


@pytest.mark.parametrize(
    "url",
    ["home:home", "plans:mine", "standards:mine", "people:list", "accounts:users", "accounts:password_change_done"],
)
def test_every_other_page_sends_to_the_change_form(world, scope_of, client, url):
    _sign_in(client, "teacher_a1", _one_time(world, scope_of))
    r = client.get(reverse(url))
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")


def test_a_page_that_does_not_exist_also_sends_to_the_change_form(world, scope_of, client):
    _sign_in(client, "teacher_a1", _one_time(world, scope_of))
    assert client.get("/khong-co-trang-nay/")["Location"] == reverse("accounts:password_change")


def test_htmx_is_told_to_load_the_change_form_as_a_page(world, scope_of, client):
    _sign_in(client, "teacher_a1", _one_time(world, scope_of))
    r = client.get(reverse("home:home"), headers={"HX-Request": "true"})
    assert r["HX-Redirect"] == reverse("accounts:password_change")


@pytest.mark.parametrize("url", ["api:units", "api:staff", "api:schema"])
def test_the_api_answers_403_in_vietnamese_instead_of_a_redirect(world, scope_of, client, url):
    _sign_in(client, "principal_a1", _reset(scope_of("xa_a1"), world.users["principal_a1"]))
    r = client.get(reverse(url), headers={"Accept": "application/json"})
    assert r.status_code == 403 and r["Content-Type"] == "application/json"
    assert "mật khẩu dùng một lần" in r.json()["detail"]


def test_signing_out_and_choosing_a_language_still_work(world, scope_of, client):
    _sign_in(client, "teacher_a1", _one_time(world, scope_of))
    r = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:password_change")})
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change")
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home:home"))["Location"].startswith(reverse("accounts:login"))


def test_the_change_form_refuses_to_keep_the_one_time_password(world, scope_of, client):
    password = _one_time(world, scope_of)
    _sign_in(client, "teacher_a1", password)
    r = _change(client, password, password)
    assert r.status_code == 200
    assert [e.code for e in r.context["form"].errors.as_data()["new_password1"]] == ["one_time_reused"]
    assert "Hãy đặt mật khẩu của riêng bạn" in r.content.decode()
    assert PasswordChangeRequired.objects.filter(user=world.users["teacher_a1"]).exists()
    assert client.get(reverse("home:home")).status_code == 302


def test_after_the_change_the_landing_page_opens_and_the_obligation_is_gone(world, scope_of, client):
    password = _one_time(world, scope_of)
    _sign_in(client, "teacher_a1", password)
    r = _change(client, password, "Mat-khau-cua-toi-2025")
    assert r.status_code == 302 and r["Location"] == reverse("home:home")
    assert client.get(reverse("home:home")).status_code == 200
    assert client.get(reverse("plans:mine")).status_code == 200
    assert not PasswordChangeRequired.objects.filter(user=world.users["teacher_a1"]).exists()
    client.logout()
    r = _sign_in(client, "teacher_a1", "Mat-khau-cua-toi-2025")
    assert r.redirect_chain[-1][0] == reverse("home:home")


def test_an_ordinary_change_of_password_is_as_before(world, login):
    client = login(world.users["teacher_a1"])
    r = _change(client, PASSWORD, "Mat-khau-cua-toi-2025")
    assert r.status_code == 302 and r["Location"] == reverse("accounts:password_change_done")
    assert "one-time-notice" not in client.get(reverse("accounts:password_change")).content.decode()


def test_the_reset_ends_the_sessions_signed_in_with_the_old_password(world, scope_of):
    teacher = Client()
    teacher.force_login(world.users["teacher_a1"])
    assert teacher.get(reverse("home:home")).status_code == 200
    _one_time(world, scope_of)
    assert teacher.get(reverse("home:home"))["Location"].startswith(reverse("accounts:login"))


def test_a_reset_by_e_mail_still_works_and_ends_the_obligation(world, scope_of, client, mailoutbox):
    _one_time(world, scope_of)
    client.post(reverse("accounts:password_reset"), {"email": "teacher_a1@example.edu.vn"})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    r = client.get(link.split("testserver", 1)[1], follow=True)
    client.post(
        r.redirect_chain[-1][0], {"new_password1": "Mat-khau-qua-mail-2025", "new_password2": "Mat-khau-qua-mail-2025"}
    )
    assert not PasswordChangeRequired.objects.filter(user=world.users["teacher_a1"]).exists()
    r = _sign_in(client, "teacher_a1", "Mat-khau-qua-mail-2025")
    assert r.redirect_chain[-1][0] == reverse("home:home")


def test_the_sign_in_page_says_whom_to_ask_without_an_e_mail_address(world, client):
    for url in ("accounts:login", "accounts:password_reset"):
        text = re.sub(r"\s+", " ", client.get(reverse(url)).content.decode())
        assert "không có địa chỉ email? Hãy nhờ hiệu trưởng" in text
