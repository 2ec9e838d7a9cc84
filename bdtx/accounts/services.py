"""Writes about users: role assignments, and the failed-login record used for throttling."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.accounts.models import ROLE_PERMISSIONS, ROLE_UNIT_KINDS, FailedLogin, Role, RoleAssignment
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.people.models import Person


def role_grantable(*, scope: Scope, unit: Unit) -> list[str]:
    """Roles the scope may give at `unit`: held ROLES_MANAGE there, no escalation, right unit kind."""
    held = scope.permissions_at(unit.path)
    if Perm.ROLES_MANAGE not in held:
        return []
    return [r for r in Role.values if unit.kind in ROLE_UNIT_KINDS[r] and ROLE_PERMISSIONS[r] <= held]


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


def username_suggest(*, person: Person) -> str:
    """'Nông Thị Hoa' born 1990 → 'hoant1990' (given name + initials + year), made unique."""
    initials = "".join(w[0] for w in fold(f"{person.family_name} {person.middle_name}").split())
    base = f"{fold(person.given_name).replace(' ', '')}{initials}"
    base += str(person.date_of_birth.year) if person.date_of_birth else ""
    base = "".join(ch for ch in base if ch.isalnum())[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


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


def login_failure_record(*, username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username.lower()[:150], ip=ip)


def login_is_throttled(*, username: str, ip: str | None) -> bool:
    """True after LOGIN_FAILURE_LIMIT failures for this username or address within the window."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=since)
    by_name = recent.filter(username=username.lower()).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    # An address shared by a whole school (NAT) gets more room than one account.
    return by_name >= settings.LOGIN_FAILURE_LIMIT or by_ip >= settings.LOGIN_FAILURE_LIMIT * 10


def login_failures_clear(*, username: str) -> None:
    FailedLogin.objects.filter(Q(username=username.lower())).delete()
