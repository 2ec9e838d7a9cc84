"""The kinds of notification: each app registers the events it tells people about, from its
`AppConfig.ready()`, the way audit actions are registered (`bdtx.core.audit`).

    from bdtx.notifications.kinds import NotificationKind, notification_kinds

    notification_kinds.register(
        NotificationKind("plan.returned", _("My plan was returned"), _("…"), default_email=True),
        app=self.label,
    )

A kind's code is namespaced (`plan.returned`); a namespace belongs to the app that registered it
first. Each user may switch a kind off in the app or by e-mail (`NotificationPreference`); without a
preference the kind's defaults apply (always in the app, by e-mail when `default_email`).

A kind that concerns only some roles names the permissions it concerns (`permissions=…`: whoever
holds one of them somewhere); the settings page offers a user only the kinds that can concern them
(a learner is not asked about unit plans). A kind with none concerns everyone (a person's own plan,
question or survey).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from bdtx.core.scope import Scope

CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
MAX_CODE_LENGTH = 64  # Notification.kind, NotificationPreference.kind


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise  # what the settings page calls it
    description: str | Promise = ""  # when it is sent, in a sentence
    default_email: bool = True
    permissions: frozenset[str] = frozenset()  # whom it can concern: holders of one of these; none: everyone

    def concerns(self, scope: Scope) -> bool:
        """Whether this kind can tell the scope's user anything (the settings offer it)."""
        return not self.permissions or any(scope.has_anywhere(p) for p in self.permissions)


class KindRegistry:
    def __init__(self) -> None:
        self._kinds: dict[str, NotificationKind] = {}
        self._owners: dict[str, str] = {}

    def register(self, *kinds: NotificationKind, app: str) -> None:
        for kind in kinds:
            if not CODE.fullmatch(kind.code) or len(kind.code) > MAX_CODE_LENGTH:
                raise ImproperlyConfigured(f"Notification kind {kind.code!r}: expected 'namespace.event' (≤ 64).")
            namespace = kind.code.split(".", 1)[0]
            owner = self._owners.setdefault(namespace, app)
            if owner != app:
                raise ImproperlyConfigured(f"Notification namespace {namespace!r} belongs to {owner}, not {app}.")
            self._kinds[kind.code] = kind

    def get(self, code: str) -> NotificationKind | None:
        return self._kinds.get(code)

    def require(self, code: str) -> NotificationKind:
        kind = self._kinds.get(code)
        if kind is None:
            raise ImproperlyConfigured(f"Notification kind {code!r} is not registered.")
        return kind

    def all(self) -> list[NotificationKind]:
        """Every kind, in the order the apps registered them (apps in INSTALLED_APPS order)."""
        return list(self._kinds.values())

    def label(self, code: str) -> str:
        kind = self._kinds.get(code)
        return str(kind.label) if kind else code


notification_kinds = KindRegistry()
