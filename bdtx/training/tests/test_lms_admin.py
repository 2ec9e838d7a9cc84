"""LMS administration (issue 9): an organiser stops and restarts an LMS and gives it a new token.
While stopped, or once replaced, a token is refused exactly like an unknown one; the new token is
shown once; each change is audited; 404 outside the scope, 403 inside without training.manage."""

import json
import uuid
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm
from bdtx.training.lms import lms_activate, lms_create, lms_deactivate, lms_for_token, lms_rotate, token_hash
from bdtx.training.models import Lms

from . import test_lms
from .test_lms import _post, _statement

pytestmark = pytest.mark.django_db

lmsworld = test_lms.lmsworld  # the fixture of test_lms.py: two provinces, a cohort each, an LMS each

ADMIN_PAGES = ["training:lms_deactivate", "training:lms_activate", "training:lms_rotate"]
TOKEN = '<code class="user-select-all text-break">'


def _shown_token(html: str) -> str:
    return html.split(TOKEN)[1].split("</code>")[0]


def _refusal(client, token, st):  # type: ignore[no-untyped-def]
    r = _post(client, token, st)
    return r.status_code, r["WWW-Authenticate"], r.json()


def _audit(lms: Lms, action: str) -> int:
    return AuditLog.objects.filter(action=action, object_uuid=lms.uuid).count()


# --- services ----------------------------------------------------------------------------------------


def test_an_inactive_lms_token_gets_the_same_refusal_as_an_unknown_one(world, lmsworld, client):
    lms, token = lmsworld["lms_a"], lmsworld["a"]
    st = _statement(lmsworld["people"][0], lmsworld["c"])
    unknown = _refusal(client, "bdtx_nope", st)
    assert unknown[0] == 401
    lms_deactivate(scope=SYSTEM, lms=lms)
    assert lms_for_token(token) is None
    assert _refusal(client, token, st) == unknown
    lms_activate(scope=SYSTEM, lms=lms)
    assert lms_for_token(token) == lms
    assert _post(client, token, st).status_code == 200


def test_a_rotated_token_replaces_the_old_one_at_once(world, lmsworld, client):
    lms, old = lmsworld["lms_a"], lmsworld["a"]
    st = _statement(lmsworld["people"][0], lmsworld["c"])
    unknown = _refusal(client, "bdtx_nope", st)
    same, new = lms_rotate(scope=SYSTEM, lms=lms)
    assert same.pk == lms.pk and new != old and new.startswith("bdtx_")
    assert Lms.objects.get(pk=lms.pk).token_hash == token_hash(new) and new not in same.token_hash
    assert lms_for_token(old) is None and lms_for_token(new) == lms
    assert _refusal(client, old, st) == unknown
    assert _post(client, new, st).status_code == 200


def test_stopping_restarting_and_rotating_are_audited_once_each(world, lmsworld, scope_of):
    lms = lmsworld["lms_a"]
    scope = scope_of("so_a")
    lms_deactivate(scope=scope, lms=lms)
    lms_deactivate(scope=scope, lms=lms)  # a second click changes nothing and writes nothing
    assert not Lms.objects.get(pk=lms.pk).active and _audit(lms, "lms.deactivate") == 1
    lms_activate(scope=scope, lms=lms)
    lms_activate(scope=scope, lms=lms)
    assert Lms.objects.get(pk=lms.pk).active and _audit(lms, "lms.activate") == 1
    lms_rotate(scope=scope, lms=lms)
    entry = AuditLog.objects.get(action="lms.rotate", object_uuid=lms.uuid)
    assert entry.actor_id == world.users["so_a"].pk and entry.unit_path == lms.unit.path
    assert lmsworld["a"] not in json.dumps(entry.changes) and not entry.note


@pytest.mark.parametrize("service", [lms_deactivate, lms_activate, lms_rotate])
@pytest.mark.parametrize("user", ["ministry", "so_b", "xa_a1", "institution", "teacher_a1"])
def test_the_services_need_training_manage_over_the_lms_unit(world, lmsworld, service, user):
    lms = lmsworld["lms_a"]
    before = Lms.objects.values("active", "token_hash").get(pk=lms.pk)
    with pytest.raises(PermissionDenied):
        service(scope=scope_for_user(world.users[user]), lms=lms)
    assert Lms.objects.values("active", "token_hash").get(pk=lms.pk) == before
    assert not AuditLog.objects.filter(object_uuid=lms.uuid).exclude(action="lms.create").exists()


def test_a_commune_office_manages_the_lms_it_registered(world, lmsworld, scope_of):
    lms, _token = lms_create(scope=scope_of("xa_a1"), unit=world.u("xa_a1"), name="LMS xã Đông")
    lms_deactivate(scope=scope_of("xa_a1"), lms=lms)
    lms_rotate(scope=scope_of("so_a"), lms=lms)  # the Sở manages its communes' LMSs too
    assert _audit(lms, "lms.deactivate") == 1 and _audit(lms, "lms.rotate") == 1


# --- pages ----------------------------------------------------------------------------------------------


def test_the_list_shows_status_last_use_and_the_buttons(world, lmsworld, login):
    lms_a = lmsworld["lms_a"]
    used = timezone.make_aware(datetime(2026, 11, 3, 14, 5))
    Lms.objects.filter(pk=lms_a.pk).update(last_used_at=used)
    stopped, _t = lms_create(scope=SYSTEM, unit=world.u("so_a"), name="LMS cũ")
    lms_deactivate(scope=SYSTEM, lms=stopped)
    text = login(world.users["so_a"]).get(reverse("training:lms_list")).content.decode()
    row_a = text.split(f'id="lms-{lms_a.uuid}"')[1].split("</tr>")[0]
    row_old = text.split(f'id="lms-{stopped.uuid}"')[1].split("</tr>")[0]
    assert "03/11/2026 14:05" in row_a and "đang hoạt động" in row_a and "<th>Quản lý</th>" in text
    assert reverse("training:lms_rotate", kwargs={"uuid": lms_a.uuid}) in row_a
    assert reverse("training:lms_deactivate", kwargs={"uuid": lms_a.uuid}) in row_a
    assert reverse("training:lms_activate", kwargs={"uuid": lms_a.uuid}) not in row_a
    assert "ngừng hoạt động" in row_old and "—" in row_old
    assert reverse("training:lms_activate", kwargs={"uuid": stopped.uuid}) in row_old
    assert reverse("training:lms_deactivate", kwargs={"uuid": stopped.uuid}) not in row_old
    assert 'data-confirm="' in row_a and "onclick" not in text and "<script>" not in text


def test_an_organiser_stops_and_restarts_an_lms_from_the_list(world, lmsworld, login):
    lms = lmsworld["lms_a"]
    client = login(world.users["so_a"])
    r = client.post(reverse("training:lms_deactivate", kwargs={"uuid": lms.uuid}), follow=True)
    assert r.redirect_chain[-1][0] == reverse("training:lms_list")
    assert not Lms.objects.get(pk=lms.pk).active and "LMS Viettel A" in r.content.decode()
    assert lms_for_token(lmsworld["a"]) is None
    r = client.post(reverse("training:lms_activate", kwargs={"uuid": lms.uuid}))
    assert r.status_code == 302 and Lms.objects.get(pk=lms.pk).active
    assert lms_for_token(lmsworld["a"]) == lms


def test_rotating_shows_the_new_token_once(world, lmsworld, login):
    lms, old = lmsworld["lms_a"], lmsworld["a"]
    client = login(world.users["so_a"])
    r = client.post(reverse("training:lms_rotate", kwargs={"uuid": lms.uuid}))
    assert r.status_code == 200
    text = r.content.decode()
    new = _shown_token(text)
    assert lms_for_token(new) == lms and lms_for_token(old) is None and old not in text
    assert 'id="lms-token"' in text and "LMS Viettel A" in text.split('id="lms-token"')[1].split("</div>")[0]
    again = client.get(reverse("training:lms_list")).content.decode()
    assert new not in again and 'id="lms-token"' not in again


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_administration_urls_take_only_post(world, lmsworld, login, name):
    lms = lmsworld["lms_a"]
    r = login(world.users["so_a"]).get(reverse(name, kwargs={"uuid": lms.uuid}))
    assert r.status_code == 405
    assert Lms.objects.values_list("active", "token_hash").get(pk=lms.pk) == (True, token_hash(lmsworld["a"]))


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize("user", ["so_b", "xa_a1", "principal_a1", "institution", "teacher_a1", "norole"])
def test_administration_outside_the_scope_answers_404(world, lmsworld, login, name, user):
    lms = lmsworld["lms_a"]
    r = login(world.users[user]).post(reverse(name, kwargs={"uuid": lms.uuid}))
    assert r.status_code == 404
    assert Lms.objects.values_list("active", "token_hash").get(pk=lms.pk) == (True, token_hash(lmsworld["a"]))


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_an_unknown_lms_answers_404(world, lmsworld, login, name):
    assert login(world.users["so_a"]).post(reverse(name, kwargs={"uuid": uuid.uuid4()})).status_code == 404


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_ministry_sees_a_provinces_lms_but_may_not_manage_it(world, lmsworld, login, name):
    lms = lmsworld["lms_a"]
    r = login(world.users["ministry"]).post(reverse(name, kwargs={"uuid": lms.uuid}))
    assert r.status_code == 403
    assert Lms.objects.values_list("active", "token_hash").get(pk=lms.pk) == (True, token_hash(lmsworld["a"]))
    assert not AuditLog.objects.filter(object_uuid=lms.uuid).exclude(action="lms.create").exists()


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_administration_inside_the_scope_without_training_manage_answers_403(world, lmsworld, login, monkeypatch, name):
    lms = lmsworld["lms_a"]
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_MANAGE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    assert login(world.users["so_a"]).post(reverse(name, kwargs={"uuid": lms.uuid})).status_code == 403
    assert Lms.objects.values_list("active", "token_hash").get(pk=lms.pk) == (True, token_hash(lmsworld["a"]))
