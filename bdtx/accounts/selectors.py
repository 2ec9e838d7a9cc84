"""Reads about users: their scope, their roles, and whether a sign-in or a reset mail is refused."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta
from math import ceil
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet
from django.utils import timezone

from bdtx.accounts.models import (
    ROLE_PERMISSIONS,
    ROLE_UNIT_KINDS,
    SELF_ONLY_ROLES,
    FailedLogin,
    PasswordChangeRequired,
    PasswordResetRequest,
    Role,
    RoleAssignment,
)
from bdtx.core.scope import ANONYMOUS, Grant, Perm, Scope
from bdtx.core.search import search_q
from bdtx.core.selectors import school_year_current
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment, Person


def scope_for_user(user: User | AnonymousUser) -> Scope:
    """Build the user's scope from their active role assignments (two queries)."""
    if not user.is_authenticated:
        return ANONYMOUS
    grants = tuple(
        Grant(
            role=ra.role,
            unit_id=ra.unit_id,
            path=ra.unit.path,
            permissions=ROLE_PERMISSIONS.get(ra.role, frozenset()),
            subtree=ra.role not in SELF_ONLY_ROLES,
        )
        for ra in RoleAssignment.objects.filter(user=user, active=True, unit__dissolved_on__isnull=True)
        .select_related("unit")
        .only("role", "unit_id", "unit__path")
    )
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return Scope(user_id=user.pk, person_id=person_id, grants=grants)


def role_assignments_for(user: User) -> list[RoleAssignment]:
    return list(RoleAssignment.objects.filter(user=user, active=True).select_related("unit", "unit__parent"))


def role_assignment_list(
    *, scope: Scope, role: str = "", q: str = "", unit: Unit | None = None
) -> QuerySet[RoleAssignment]:
    """Active role assignments at units where the viewer may manage roles (under `unit`, if given)."""
    qs = (
        RoleAssignment.objects.visible_to(scope, Perm.ROLES_MANAGE)
        .filter(active=True)
        .select_related("user", "unit", "user__person")
    )
    if unit is not None:
        qs = qs.within(unit.path)
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(search_q(q, "user__username__icontains", "user__person__search_text"))
    return qs.order_by("unit__path", "role", "user__username")


def role_assignment_get(*, scope: Scope, uuid: str) -> RoleAssignment:
    """One role assignment at a unit the viewer can see (404 otherwise; the service checks the right)."""
    return RoleAssignment.objects.visible_to(scope).select_related("unit", "user").get(uuid=uuid)


def role_grantable(*, scope: Scope, unit: Unit) -> list[str]:
    """Roles the scope may give at `unit`: held ROLES_MANAGE there, no escalation, right unit kind."""
    held = scope.permissions_at(unit.path)
    if Perm.ROLES_MANAGE not in held:
        return []
    return [r for r in Role.values if unit.kind in ROLE_UNIT_KINDS[r] and ROLE_PERMISSIONS[r] <= held]


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


@dataclass(frozen=True)
class LoginRefusal:
    """Why a sign-in is refused before its password is checked, and for how long."""

    code: Literal["locked", "slow_down"]
    seconds: int  # until the account unlocks by itself, or until the address may try again


def login_refusal(*, username: str, ip: str | None) -> LoginRefusal | None:
    """Whether to refuse a sign-in as `username` from `ip` without checking the password.

    - The account is locked after LOGIN_FAILURE_LIMIT failures against it within the window. The
      name is matched exactly, as the sign-in itself matches it. A name that belongs to no account
      reads the same after as many failures, but locks nothing: no real account is behind it.
    - The address slows down after LOGIN_ADDRESS_FAILURE_LIMIT failures within the window, whatever
      names they tried: before each further try it waits 1 s, 2 s, 4 s … (at most
      LOGIN_ADDRESS_MAX_DELAY_SECONDS) after its last failure. It is never locked out.
    """
    now = timezone.now()
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=now - window)
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    mine = recent.filter(user_id=user_id) if user_id else recent.filter(username=username, user__isnull=True)
    limit = settings.LOGIN_FAILURE_LIMIT
    # the lock lasts until the oldest of the last `limit` failures leaves the window
    oldest = mine.order_by("-at").values_list("at", flat=True)[limit - 1 : limit].first()
    if oldest is not None:
        return LoginRefusal("locked", _seconds(oldest + window - now))
    if ip:
        by_address = recent.filter(ip=ip)
        over = by_address.count() - settings.LOGIN_ADDRESS_FAILURE_LIMIT
        if over >= 0:
            delay = timedelta(seconds=min(2 ** min(over, 20), settings.LOGIN_ADDRESS_MAX_DELAY_SECONDS))
            last = by_address.order_by("-at").values_list("at", flat=True)[0]
            if last + delay > now:
                return LoginRefusal("slow_down", _seconds(last + delay - now))
    return None


def _seconds(delta: timedelta) -> int:
    return max(1, ceil(delta.total_seconds()))


def account_locked_users(*, user_ids: Collection[int]) -> set[int]:
    """Which of these accounts are locked now (LOGIN_FAILURE_LIMIT failures within the window)."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    return set(
        FailedLogin.objects.filter(user_id__in=user_ids, at__gte=since)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.LOGIN_FAILURE_LIMIT)
        .values_list("user_id", flat=True)
    )


def account_units(*, user: User) -> list[Unit]:
    """The units an account belongs to: where it holds an active role, and where its person works
    this school year. Whoever manages roles at one of them may unlock it."""
    units = {ra.unit.pk: ra.unit for ra in RoleAssignment.objects.filter(user=user, active=True).select_related("unit")}
    person = Person.objects.filter(user=user).first()
    if person is not None:
        employment = person.employments.filter(school_year=school_year_current()).select_related("unit").first()
        if employment is not None:
            units.setdefault(employment.unit.pk, employment.unit)
    return list(units.values())


def accounts_resettable(*, scope: Scope, user_ids: Collection[int]) -> dict[int, str]:
    """Which of these accounts the scope may give a one-time password, each with the path of the
    unit it acts through (the account's own unit, as deep in the tree as can be), in four queries.

    - Authority over the account, as for unlocking it (`account_units`): the scope holds
      PASSWORDS_RESET at a unit the account belongs to — where it holds an active role, or where
      its person works this school year. A principal holds it at their school, an office, the Sở
      and the system administrator over their subtrees.
    - No higher authority: every active role of the account lies where the scope holds
      PASSWORDS_RESET and every permission that role gives (a principal never resets the Sở's
      account, nor one that also holds a role elsewhere; peers at the same unit may).
    - Never a superuser or staff account (Django's admin), never the scope's own (that is a change).
    """
    ids = set(user_ids) - {scope.user_id}
    if not ids:
        return {}
    eligible = set(User.objects.filter(pk__in=ids, is_superuser=False, is_staff=False).values_list("pk", flat=True))
    units: dict[int, list[str]] = {pk: [] for pk in eligible}
    higher: set[int] = set()
    for user_id, role, path in RoleAssignment.objects.filter(user_id__in=eligible, active=True).values_list(
        "user_id", "role", "unit__path"
    ):
        units[user_id].append(path)
        if not (
            scope.has(Perm.PASSWORDS_RESET, path)
            and ROLE_PERMISSIONS.get(role, frozenset()) <= scope.permissions_at(path)
        ):
            higher.add(user_id)
    for user_id, path in Employment.objects.filter(
        person__user_id__in=eligible, school_year=school_year_current()
    ).values_list("person__user_id", "unit__path"):
        if user_id is not None:
            units[user_id].append(path)
    out: dict[int, str] = {}
    for user_id in eligible - higher:
        held = [p for p in units[user_id] if scope.has(Perm.PASSWORDS_RESET, p)]
        if held:
            out[user_id] = max(held, key=len)
    return out


def password_change_required(*, user: User) -> bool:
    """True while the account's password is a one-time one an authority gave."""
    return PasswordChangeRequired.objects.filter(user_id=user.pk).exists()


def password_reset_address_exhausted(*, ip: str | None) -> bool:
    """True once PASSWORD_RESET_ADDRESS_LIMIT requests came from `ip` within the hour."""
    if not ip:
        return False
    since = timezone.now() - timedelta(hours=1)
    return PasswordResetRequest.objects.filter(ip=ip, at__gte=since).count() >= settings.PASSWORD_RESET_ADDRESS_LIMIT


def password_reset_mailable(*, users: Iterable[User]) -> list[User]:
    """The accounts that have not had PASSWORD_RESET_ACCOUNT_LIMIT reset mails within the hour."""
    users = list(users)
    since = timezone.now() - timedelta(hours=1)
    full = set(
        PasswordResetRequest.objects.filter(user__in=users, at__gte=since)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=settings.PASSWORD_RESET_ACCOUNT_LIMIT)
        .values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in full]
