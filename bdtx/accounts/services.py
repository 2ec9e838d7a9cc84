"""Writes about users: role assignments, accounts, and the records that throttle sign-ins and reset mails."""

import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from bdtx.accounts.models import (
    ACCOUNT_AT_UNIT_KINDS,
    FailedLogin,
    PasswordChangeRequired,
    PasswordResetRequest,
    RoleAssignment,
)
from bdtx.accounts.selectors import account_units, accounts_resettable, role_grantable
from bdtx.core.scope import Perm, Scope
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
    """Remember a failed sign-in: against the account when the name is one (matched exactly, as the
    sign-in matches it), else only against the name and the address. Rows older than a day go."""
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    FailedLogin.objects.create(username=username[:150], user_id=user_id, ip=ip)
    FailedLogin.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_failures_clear(*, user: User) -> None:
    """After a successful sign-in or password reset: the account's failures no longer lock it. They
    still count against the addresses they came from (a success does not reset an address)."""
    FailedLogin.objects.filter(user=user).update(user=None)


@transaction.atomic
def account_unlock(*, scope: Scope, user: User) -> int:
    """Unlock an account locked by failed sign-ins; returns how many failures were forgiven.

    Allowed to whoever manages roles at a unit the account belongs to (its roles, its person's job
    this year): the system administrator everywhere, a department, office or principal below it.
    """
    units = [u for u in account_units(user=user) if scope.has(Perm.ROLES_MANAGE, u.path)]
    if not units and not scope.is_system:
        raise PermissionDenied(_("You cannot unlock this account."))
    forgiven = FailedLogin.objects.filter(user=user).update(user=None)
    person = Person.objects.filter(user=user).first()
    audit_record(
        actor_id=scope.user_id,
        action="account.unlock",
        obj=person,
        object_type="" if person else "auth.user",
        object_repr="" if person else user.username,
        unit_path=units[0].path if units else "",
        changes={"username": [user.username, user.username], "failed_logins": [forgiven, 0]},
    )
    return forgiven


# One-time passwords are read out over the phone or copied from a sheet of paper: lower-case letters
# and digits without the ones that look or sound alike (0/o, 1/l/i), 10 of them: about 50 bits.
ONE_TIME_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
ONE_TIME_PASSWORD_LENGTH = 10


def one_time_password() -> str:
    return "".join(secrets.choice(ONE_TIME_PASSWORD_ALPHABET) for _position in range(ONE_TIME_PASSWORD_LENGTH))


@sensitive_variables("password")
@transaction.atomic
def account_password_reset_by_authority(*, scope: Scope, user: User) -> str:
    """Give `user` a freshly drawn one-time password and return it (to be handed over in person or by
    phone, for people without an e-mail address to reset it themselves).

    Allowed to an authority over the account that is no lower than it (`accounts_resettable`). Its
    holder must change it at the next sign-in (`PasswordChangeRequired`); like a reset by e-mail it
    unlocks the account, and every session signed in with the old password ends. The audit entry
    names the account, never the password.
    """
    unit_path = accounts_resettable(scope=scope, user_ids=[user.pk]).get(user.pk)
    if unit_path is None:
        raise PermissionDenied(_("You cannot reset the password of this account."))
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    _flag, created = PasswordChangeRequired.objects.update_or_create(
        user=user, defaults={"issued_by_id": scope.user_id, "issued_at": timezone.now()}
    )
    forgiven = FailedLogin.objects.filter(user=user).update(user=None)
    person = Person.objects.filter(user=user).first()
    audit_record(
        actor_id=scope.user_id,
        action="account.password_reset",
        obj=person,
        object_type="" if person else "auth.user",
        object_repr="" if person else user.username,
        unit_path=unit_path,
        changes={
            "username": [user.username, user.username],
            "must_change_password": [not created, True],
            "failed_logins": [forgiven, 0],
        },
    )
    return password


def password_change_required_clear(*, user: User) -> None:
    """The holder set a password of their own: the one-time one is gone."""
    PasswordChangeRequired.objects.filter(user_id=user.pk).delete()


def password_reset_request_record(*, ip: str | None, users: list[User]) -> None:
    """Remember a request for reset mails (one row per account mailed, or one with none) for the
    hourly limits. Rows older than a day go."""
    PasswordResetRequest.objects.bulk_create(
        [PasswordResetRequest(ip=ip, user=u) for u in users] or [PasswordResetRequest(ip=ip)]
    )
    PasswordResetRequest.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
