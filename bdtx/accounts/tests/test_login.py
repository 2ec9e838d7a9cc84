import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_user_logs_in_with_the_right_password_and_lands_on_home(client, world):
    r = _login(client, "principal_a1", PASSWORD)
    assert r.status_code == 302 and r["Location"] == reverse("home:home")


def test_wrong_password_shows_an_error(client, world):
    r = _login(client, "principal_a1", "sai-mat-khau")
    assert r.status_code == 200 and r.context["form"].errors


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_repeated_failures_block_even_the_right_password_for_a_while(client, world):
    for _ in range(3):
        _login(client, "principal_a1", "sai-mat-khau")
    r = _login(client, "principal_a1", PASSWORD)
    assert r.status_code == 200
    assert [e.code for e in r.context["form"].non_field_errors().as_data()] == ["throttled"]


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_throttling_one_account_does_not_block_another(client, world):
    for _ in range(3):
        _login(client, "principal_a1", "sai-mat-khau")
    assert _login(client, "so_a", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_success_clears_earlier_failures(client, world):
    for _ in range(2):
        _login(client, "principal_a1", "sai-mat-khau")
    assert _login(client, "principal_a1", PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        _login(client, "principal_a1", "sai-mat-khau")
    assert _login(client, "principal_a1", PASSWORD).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, world):
    r = client.post(reverse("accounts:password_reset"), {"email": "principal_a1@example.edu.vn"})
    assert r.status_code == 302 and len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    r = client.get(path, follow=True)
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": "Mot-mat-khau-moi-2025", "new_password2": "Mot-mat-khau-moi-2025"})
    assert r.status_code == 302
    client.logout()
    assert _login(client, "principal_a1", "Mot-mat-khau-moi-2025").status_code == 302


def test_logout_requires_post_and_ends_the_session(client, world):
    client.force_login(world.users["principal_a1"])
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home:home")).status_code == 302
