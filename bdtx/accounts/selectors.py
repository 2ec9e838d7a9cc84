"""Reads about users: their scope."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from bdtx.accounts.models import ROLE_PERMISSIONS, SELF_ONLY_ROLES, RoleAssignment
from bdtx.core.scope import ANONYMOUS, Grant, Perm, Scope
from bdtx.core.text import fold
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


def role_assignment_list(*, scope: Scope, role: str = "", q: str = "") -> QuerySet[RoleAssignment]:
    """Active role assignments at units where the viewer may manage roles."""
    qs = (
        RoleAssignment.objects.visible_to(scope, Perm.ROLES_MANAGE)
        .filter(active=True)
        .select_related("user", "unit", "user__person")
    )
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(user__person__search_text__contains=fold(q)))
    return qs.order_by("unit__path", "role", "user__username")


def role_assignment_get(*, scope: Scope, uuid: str) -> RoleAssignment:
    """One role assignment at a unit the viewer can see (404 otherwise; the service checks the right)."""
    return RoleAssignment.objects.visible_to(scope).select_related("unit", "user").get(uuid=uuid)
