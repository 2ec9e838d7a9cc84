"""Writes about users: role assignments, and the failed-login record used for throttling."""

import secrets

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bdtx.accounts.models import ACCOUNT_AT_UNIT_KINDS, FailedLogin, RoleAssignment
from bdtx.accounts.selectors import role_grantable
from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.core.text import nfc
from bdtx.organisations.models import Unit
from bdtx.people.models import Person


@transaction.atomic
def role_assign(*, scope: Scope, user: User, unit: Unit, role: str, source: str = "web") -> RoleAssignment:
    """Give `user` the `role` over `unit` on behalf of the scope (idempotent), refusing escalation
    (a role with permissions the giver lacks there) and the wrong kind of unit for the role."""
    if role not in role_grantable(scope=scope, unit=unit):
        raise PermissionDenied(_("You cannot give this role at this unit."))
    ra, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role, defaults={"active": True})
    if not created and not ra.active:
        ra.active = True
        ra.save(update_fields=["active", "updated_at"])
        created = True
    if created:
        audit_record(
            actor_id=scope.user_id,
            action="role.assign",
            obj=ra,
            unit_path=unit.path,
            source=source,
            changes={"user": [None, user.username], "role": [None, role], "unit": [None, unit.name]},
        )
    return ra


@transaction.atomic
def role_revoke(*, scope: Scope, assignment: RoleAssignment) -> RoleAssignment:
    """Deactivate a role assignment (kept for history). Nobody revokes their own last admin role."""
    if assignment.role not in role_grantable(scope=scope, unit=assignment.unit):
        raise PermissionDenied(_("You cannot take this role away."))
    if assignment.user_id == scope.user_id:
        raise ValidationError(_("You cannot take away your own role."))
    assignment.active = False
    assignment.save(update_fields=["active", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="role.revoke",
        obj=assignment,
        unit_path=assignment.unit.path,
        changes={"active": [True, False], "role": [assignment.role, assignment.role]},
    )
    return assignment


@transaction.atomic
def account_create_for_person(
    *, scope: Scope, person: Person, unit: Unit, role: str, username: str, email: str = ""
) -> tuple[User, str]:
    """Create a login for `person` with `role` at `unit`; returns the user and a one-time password."""
    if person.user_id:
        raise ValidationError(_("This person already has an account."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    if role not in role_grantable(scope=scope, unit=unit):
        raise PermissionDenied(_("You cannot give this role at this unit."))  # before the user is created
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(
        username=username,
        email=email or person.email,
        password=password,
        first_name=f"{person.family_name} {person.middle_name}".strip(),
        last_name=person.given_name,
    )
    Person.objects.filter(pk=person.pk).update(user=user)
    audit_record(
        actor_id=scope.user_id,
        action="account.create",
        obj=person,
        unit_path=unit.path,
        changes={"username": [None, username]},
    )
    role_assign(scope=scope, user=user, unit=unit, role=role)
    return user, password


@transaction.atomic
def account_create_at_unit(
    *, scope: Scope, unit: Unit, role: str, username: str, family_middle: str, given: str, email: str = ""
) -> tuple[User, str]:
    """Create a login with `role` at `unit` for someone without a staff record (a training
    institution's staff); returns the user and a one-time password. Needs the right to give `role`
    there (ROLES_MANAGE, no escalation)."""
    if role not in role_grantable(scope=scope, unit=unit):
        raise PermissionDenied(_("You cannot give this role at this unit."))
    if unit.kind not in ACCOUNT_AT_UNIT_KINDS:
        raise ValidationError(_("Accounts of this unit are created from the staff records."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=nfc(family_middle).strip(),  # as account_create_for_person: "Bế Thị" + "Ngọc Anh"
        last_name=nfc(given).strip(),
    )
    audit_record(
        actor_id=scope.user_id,
        action="account.create",
        obj=user,
        object_repr=f"{user.username} ({user.get_full_name()})",
        unit_path=unit.path,
        changes={"username": [None, username]},
    )
    role_assign(scope=scope, user=user, unit=unit, role=role)
    return user, password


def login_failure_record(*, username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username.lower()[:150], ip=ip)


def login_failures_clear(*, username: str) -> None:
    FailedLogin.objects.filter(Q(username=username.lower())).delete()
