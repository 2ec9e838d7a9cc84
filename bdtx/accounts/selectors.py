"""Reads about users: their scope."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone

from bdtx.accounts.models import ROLE_PERMISSIONS, ROLE_UNIT_KINDS, SELF_ONLY_ROLES, FailedLogin, Role, RoleAssignment
from bdtx.core.scope import ANONYMOUS, Grant, Perm, Scope
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.people.models import Person


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
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__person__search_text__contains=fold(q)))
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


def login_is_throttled(*, username: str, ip: str | None) -> bool:
    """True after LOGIN_FAILURE_LIMIT failures for this username or address within the window."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    recent = FailedLogin.objects.filter(at__gte=since)
    by_name = recent.filter(username=username.lower()).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    # An address shared by a whole school (NAT) gets more room than one account.
    return by_name >= settings.LOGIN_FAILURE_LIMIT or by_ip >= settings.LOGIN_FAILURE_LIMIT * 10
