"""A training institution's accounts are managed by the Sở (or the ministry) that contracts it, as
other units' accounts are: listed, given, taken away — and invisible to another province."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.accounts.selectors import scope_for_user
from bdtx.accounts.services import account_create_at_unit
from bdtx.core.models import AuditLog

pytestmark = pytest.mark.django_db

USERS = reverse("accounts:users")


def _new(unit) -> str:  # type: ignore[no-untyped-def]
    return reverse("accounts:unit_account_new", args=[unit.uuid])


def _form(**overrides: str) -> dict[str, str]:
    return {
        "family_middle": "Bế Thị",
        "given": "Ngọc Anh",
        "username": "ngocanh.cdsp",
        "email": "",
        "role": Role.INSTITUTION_STAFF,
    } | overrides


@pytest.mark.parametrize("manager", ["so_a", "sysadmin"])
def test_the_department_and_the_system_administrator_list_the_institutions_accounts(world, login, manager):
    c = login(world.users[manager])
    r = c.get(USERS)
    assert "institution" in {ra.user.username for ra in r.context["page_obj"]}
    r = c.get(USERS, {"unit": str(world.u("cs_dt").uuid)})
    assert r.status_code == 200 and r.context["unit"] == world.u("cs_dt")
    assert [ra.user.username for ra in r.context["page_obj"]] == ["institution"]
    assert _new(world.u("cs_dt")) in r.text


def test_another_province_neither_lists_the_institutions_accounts_nor_filters_on_it(world, login):
    c = login(world.users["so_b"])
    assert "institution" not in {ra.user.username for ra in c.get(USERS).context["page_obj"]}
    assert c.get(USERS, {"unit": str(world.u("cs_dt").uuid)}).status_code == 404


def test_the_department_creates_an_account_at_its_institution_and_sees_the_password_once(world, login):
    c = login(world.users["so_a"])
    r = c.get(_new(world.u("cs_dt")))
    assert r.status_code == 200 and list(r.context["form"].fields["role"].choices) == [
        (Role.INSTITUTION_STAFF, Role.INSTITUTION_STAFF.label)
    ]
    r = c.post(_new(world.u("cs_dt")), _form())
    assert r.status_code == 200 and r.context["password"]
    user = User.objects.get(username="ngocanh.cdsp")
    assert user.get_full_name() == "Bế Thị Ngọc Anh" and user.check_password(r.context["password"])
    assert RoleAssignment.objects.filter(user=user, unit=world.u("cs_dt"), role=Role.INSTITUTION_STAFF).exists()
    entry = AuditLog.objects.get(action="account.create", changes__username=[None, "ngocanh.cdsp"])
    assert entry.unit_path == world.u("cs_dt").path and entry.actor == world.users["so_a"]
    # the new colleague can sign in and sees their institution
    assert scope_for_user(user).covers(world.u("cs_dt").path)


def test_another_provinces_department_gets_404_creating_an_account_at_the_institution(world, login):
    c = login(world.users["so_b"])
    assert c.get(_new(world.u("cs_dt"))).status_code == 404
    assert c.post(_new(world.u("cs_dt")), _form()).status_code == 404
    assert not User.objects.filter(username="ngocanh.cdsp").exists()


@pytest.mark.parametrize("username", ["institution", "ministry"])
def test_who_sees_the_institution_but_may_not_give_roles_gets_403(world, login, username):
    c = login(world.users[username])
    assert c.get(_new(world.u("cs_dt"))).status_code == 403
    assert c.post(_new(world.u("cs_dt")), _form()).status_code == 403
    assert not User.objects.filter(username="ngocanh.cdsp").exists()


def test_a_schools_accounts_are_not_created_at_the_unit(world, login):
    # a school's people have staff records: their accounts come from there
    assert login(world.users["so_a"]).get(_new(world.u("th_a1"))).status_code == 404


def test_a_role_the_department_may_not_give_there_is_refused(world, login):
    r = login(world.users["so_a"]).post(_new(world.u("cs_dt")), _form(role=Role.DEPARTMENT_STAFF))
    assert r.status_code == 200 and r.context["form"].errors
    assert not User.objects.filter(username="ngocanh.cdsp").exists()


def test_a_taken_user_name_is_refused_on_its_field(world, login):
    r = login(world.users["so_a"]).post(_new(world.u("cs_dt")), _form(username="Institution"))
    assert r.status_code == 200 and "username" in r.context["form"].errors


def test_the_service_checks_the_scope_and_the_kind_of_unit(world, scope_of):
    with pytest.raises(PermissionDenied):
        account_create_at_unit(scope=scope_of("so_b"), unit=world.u("cs_dt"), role=Role.INSTITUTION_STAFF, **_names())
    with pytest.raises(ValidationError):
        account_create_at_unit(scope=scope_of("so_a"), unit=world.u("th_a1"), role=Role.LEARNER, **_names())
    assert not User.objects.filter(username="ngocanh.cdsp").exists()


def _names() -> dict[str, str]:
    return {"username": "ngocanh.cdsp", "family_middle": "Bế Thị", "given": "Ngọc Anh"}


def test_the_department_takes_an_institution_account_away_and_returns_to_the_list_it_was_on(world, login):
    ra = RoleAssignment.objects.get(user=world.users["institution"])
    back = f"{USERS}?unit={world.u('cs_dt').uuid}"
    r = login(world.users["so_a"]).post(reverse("accounts:role_revoke", args=[ra.uuid]), {"next": back})
    assert r.status_code == 302 and r["Location"] == back
    ra.refresh_from_db()
    assert not ra.active and scope_for_user(world.users["institution"]).grants == ()


def test_taking_away_an_institution_account_of_another_province_is_404(world, login):
    ra = RoleAssignment.objects.get(user=world.users["institution"])
    assert login(world.users["so_b"]).post(reverse("accounts:role_revoke", args=[ra.uuid])).status_code == 404
    ra.refresh_from_db()
    assert ra.active


def test_after_taking_a_role_away_only_a_local_address_is_followed(world, login):
    ra = RoleAssignment.objects.get(user=world.users["institution"])
    r = login(world.users["so_a"]).post(
        reverse("accounts:role_revoke", args=[ra.uuid]), {"next": "https://example.com/"}
    )
    assert r.status_code == 302 and r["Location"] == USERS
