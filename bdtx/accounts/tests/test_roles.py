import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.accounts.selectors import role_grantable, scope_for_user, username_suggest
from bdtx.accounts.services import role_assign
from bdtx.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_principal_may_give_school_roles_at_their_school_only(world):
    scope = scope_for_user(world.users["principal_a1"])
    assert set(role_grantable(scope=scope, unit=world.u("th_a1"))) == {Role.LEARNER, Role.MENTOR, Role.SCHOOL_ADMIN}
    assert role_grantable(scope=scope, unit=world.u("thcs_a2")) == []


def test_offices_and_the_department_can_appoint_school_administrators_below_them(world):
    for username in ("so_a", "xa_a1"):
        scope = scope_for_user(world.users[username])
        assert Role.SCHOOL_ADMIN in role_grantable(scope=scope, unit=world.u("th_a1")), username


def test_department_cannot_create_a_system_admin_or_ministry_staff(world):
    scope = scope_for_user(world.users["so_a"])
    assert role_grantable(scope=scope, unit=world.u("bo")) == []
    assert Role.DEPARTMENT_STAFF in role_grantable(scope=scope, unit=world.u("so_a"))
    with pytest.raises(PermissionDenied):
        role_assign(scope=scope, user=world.users["norole"], unit=world.u("bo"), role=Role.SYSTEM_ADMIN)


def test_ministry_staff_cannot_give_roles_it_does_not_hold_permissions_for(world):
    scope = scope_for_user(world.users["ministry"])
    assert role_grantable(scope=scope, unit=world.u("th_a1")) == []


def test_roles_are_tied_to_unit_kinds(world):
    scope = scope_for_user(world.users["sysadmin"])
    assert Role.OFFICE_STAFF not in role_grantable(scope=scope, unit=world.u("th_a1"))
    assert role_grantable(scope=scope, unit=world.u("xa_a1")) == [Role.OFFICE_STAFF]


def test_username_suggestion_is_folded_and_unique(world):
    person = world.people["colleague_a1"]
    name = username_suggest(person=person)
    assert name.isascii() and name.isalnum()
    User.objects.create(username=name)
    assert username_suggest(person=person) != name


def test_principal_creates_an_account_for_a_teacher_and_sees_the_password_once(world, login):
    person = world.people["colleague_a1"]
    c = login(world.users["principal_a1"])
    r = c.get(reverse("accounts:account_new", args=[person.uuid]))
    assert r.status_code == 200
    r = c.post(
        reverse("accounts:account_new", args=[person.uuid]),
        {"username": "giaovien.moi", "email": "", "role": Role.LEARNER},
    )
    assert r.status_code == 200 and r.context["password"]
    person.refresh_from_db()
    assert person.user.username == "giaovien.moi" and person.user.check_password(r.context["password"])
    assert RoleAssignment.objects.filter(user=person.user, role=Role.LEARNER, unit=world.u("th_a1")).exists()
    assert AuditLog.objects.filter(action="account.create", object_uuid=person.uuid).exists()


def test_principal_cannot_make_a_teacher_department_staff_by_tampering_the_form(world, login):
    person = world.people["colleague_a1"]
    r = login(world.users["principal_a1"]).post(
        reverse("accounts:account_new", args=[person.uuid]), {"username": "x1", "role": Role.DEPARTMENT_STAFF}
    )
    assert r.status_code == 200 and r.context["form"].errors
    person.refresh_from_db()
    assert person.user is None


def test_account_for_a_person_of_another_province_is_404(world, login):
    r = login(world.users["principal_b1"]).get(reverse("accounts:account_new", args=[world.people["teacher_a1"].uuid]))
    assert r.status_code == 404


def test_ministry_creating_an_account_gets_403(world, login):
    r = login(world.users["ministry"]).get(reverse("accounts:account_new", args=[world.people["colleague_a1"].uuid]))
    assert r.status_code == 403


def test_user_list_shows_only_accounts_of_own_subtree(world, login):
    r = login(world.users["principal_a1"]).get(reverse("accounts:users"))
    assert r.status_code == 200
    assert {ra.unit.code for ra in r.context["page_obj"]} == {"TH-A1"}


def test_teacher_cannot_see_the_user_list(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("accounts:users")).status_code == 403


def test_principal_takes_a_role_away_and_the_user_loses_access(world, login):
    ra = RoleAssignment.objects.get(user=world.users["teacher_a1"])
    r = login(world.users["principal_a1"]).post(reverse("accounts:role_revoke", args=[ra.uuid]))
    assert r.status_code == 302
    ra.refresh_from_db()
    assert not ra.active
    assert scope_for_user(world.users["teacher_a1"]).grants == ()
    assert AuditLog.objects.filter(action="role.revoke", object_uuid=ra.uuid).exists()


def test_taking_away_a_role_of_another_province_is_404(world, login):
    ra = RoleAssignment.objects.get(user=world.users["teacher_a1"])
    r = login(world.users["principal_b1"]).post(reverse("accounts:role_revoke", args=[ra.uuid]))
    assert r.status_code == 404


def test_department_cannot_take_away_the_ministrys_role(world, login):
    ra = RoleAssignment.objects.get(user=world.users["ministry"])
    assert login(world.users["so_a"]).post(reverse("accounts:role_revoke", args=[ra.uuid])).status_code == 404
    ra.refresh_from_db()
    assert ra.active


def test_ministry_taking_away_a_teachers_role_gets_403(world, login):
    ra = RoleAssignment.objects.get(user=world.users["teacher_a1"])
    assert login(world.users["ministry"]).post(reverse("accounts:role_revoke", args=[ra.uuid])).status_code == 403
    ra.refresh_from_db()
    assert ra.active


def test_nobody_takes_away_their_own_role(world, login):
    ra = RoleAssignment.objects.get(user=world.users["principal_a1"])
    login(world.users["principal_a1"]).post(reverse("accounts:role_revoke", args=[ra.uuid]))
    ra.refresh_from_db()
    assert ra.active


def test_a_teacher_with_a_role_in_scope_but_no_permission_gets_403_on_revoke(world, login):
    ra = RoleAssignment.objects.get(user=world.users["mentor_a1"])
    # the teacher's scope is themself: the assignment is not visible → 404, never 200
    r = login(world.users["teacher_a1"]).post(reverse("accounts:role_revoke", args=[ra.uuid]))
    assert r.status_code == 404
