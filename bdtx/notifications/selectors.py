"""Reads of a user's own notifications and preferences. A notification belongs to one user; nobody
else sees it (another user's notification is a 404, the same as a missing one)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from bdtx.core.scope import Scope
from bdtx.notifications.kinds import NotificationKind, notification_kinds
from bdtx.notifications.models import Notification, NotificationPreference


def notification_list(*, user_id: int) -> QuerySet[Notification]:
    """The user's notifications shown in the app, newest first (no joins: the rows carry their text)."""
    return Notification.objects.filter(user_id=user_id, in_app=True).order_by("-created_at", "-id")


def notification_get(*, user_id: int, uuid: Any) -> Notification:
    """One of the user's own notifications (DoesNotExist otherwise → 404)."""
    return Notification.objects.get(user_id=user_id, uuid=uuid)


def notification_unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, in_app=True, read_at__isnull=True).count()


@dataclass(frozen=True)
class KindChoice:
    kind: NotificationKind
    in_app: bool
    email: bool


def notification_choices(*, scope: Scope) -> list[KindChoice]:
    """Every registered kind that can concern the scope's user (`NotificationKind.concerns`), with
    their choice (their preference, else the kind's defaults)."""
    if scope.user_id is None:  # the system itself is told nothing
        return []
    prefs = {
        p.kind: p for p in NotificationPreference.objects.filter(user_id=scope.user_id).only("kind", "in_app", "email")
    }
    out = []
    for kind in notification_kinds.all():
        if not kind.concerns(scope):
            continue
        p = prefs.get(kind.code)
        out.append(KindChoice(kind=kind, in_app=p.in_app if p else True, email=p.email if p else kind.default_email))
    return out
