"""Writes about users: role assignments, and the failed-login record used for throttling."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bdtx.accounts.models import FailedLogin, RoleAssignment
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit


@transaction.atomic
def role_assign(*, actor_id: int | None, user: User, unit: Unit, role: str, source: str = "web") -> RoleAssignment:
    """Give `user` the `role` over `unit` (idempotent)."""
    ra, created = RoleAssignment.objects.get_or_create(user=user, unit=unit, role=role, defaults={"active": True})
    if not created and not ra.active:
        ra.active = True
        ra.save(update_fields=["active", "updated_at"])
        created = True
    if created:
        audit_record(
            actor_id=actor_id,
            action="role.assign",
            obj=ra,
            unit_path=unit.path,
            source=source,
            changes={"user": [None, user.username], "role": [None, role], "unit": [None, unit.name]},
        )
    return ra


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
