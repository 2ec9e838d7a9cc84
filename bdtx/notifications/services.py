"""Writes of notifications: `notify` (called by the services that make an event, inside their
transaction), the e-mails the background worker sends, marking read, and the user's preferences.

    notify(
        user_ids=[plan.person.user_id],
        kind="plan.returned",
        event_key=f"plan:{plan.pk}:returned:{plan.decided_at:%Y%m%d%H%M%S}",
        title=_("Your BDTX plan for %(year)s was returned"),
        body=_("What to change: %(comment)s"),
        params={"year": plan.school_year, "comment": plan.comment},
        url=reverse("plans:detail", kwargs={"uuid": plan.uuid}),
    )

A row is unique per (user, kind, event_key): calling `notify` again for the same event writes
nothing and sends nothing. Texts are rendered in the site's language (Vietnamese) when written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from bdtx.core.bulk import bulk_insert_values
from bdtx.core.http import site_url
from bdtx.core.scope import Scope
from bdtx.notifications.kinds import NotificationKind, notification_kinds
from bdtx.notifications.models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

BATCH = 5000  # users per preference lookup and insert; SQLite takes up to 32,766 parameters


def _render(text: str | Promise, params: Mapping[str, Any] | None) -> str:
    text = str(text)
    return text % {k: str(v) for k, v in params.items()} if params else text


def _choices(kind: NotificationKind, user_ids: list[int]) -> dict[int, tuple[bool, bool]]:
    """(in the app, by e-mail) for each user: their preference, else the kind's defaults."""
    found = dict(
        (u, (a, e))
        for u, a, e in NotificationPreference.objects.filter(kind=kind.code, user_id__in=user_ids).values_list(
            "user_id", "in_app", "email"
        )
    )
    default = (True, kind.default_email)
    return {u: found.get(u, default) for u in user_ids}


def notify(
    *,
    user_ids: Iterable[int | None],
    kind: str,
    event_key: str,
    title: str | Promise,
    body: str | Promise = "",
    url: str = "",
    params: Mapping[str, Any] | None = None,
) -> int:
    """Tell `user_ids` about one event (`kind` registered in `notification_kinds`, `event_key` naming
    the event: the same key never notifies the same user twice). Call it inside the transaction
    that makes the event; the e-mails go out from the background worker once it commits.

    `title` and `body` are gettext messages, `%(name)s`-formatted with `params`, rendered in the
    site's language. Users switched off in the app still get a (hidden) row, so the event stays
    told. Returns how many users were given to it (None and repeats left out), not how many rows
    were new. Works in batches: a queryset of a whole country's user ids is fine.
    """
    title_text, body_text = render_message(title, body, params)
    seen: set[int] = set()

    def events() -> Iterator[Event]:
        for u in user_ids:
            if u is not None and u not in seen:
                seen.add(u)
                yield Event(u, event_key, title_text, body_text, url)

    return notify_each(kind=kind, events=events())


@dataclass(frozen=True)
class Event:
    """One event told to one user, its texts already rendered (`render_message`)."""

    user_id: int
    event_key: str
    title: str
    body: str = ""
    url: str = ""


def render_message(
    title: str | Promise, body: str | Promise = "", params: Mapping[str, Any] | None = None
) -> tuple[str, str]:
    """A notification's title and text in the site's language, `%(name)s`-formatted with `params`."""
    with translation.override(settings.LANGUAGE_CODE):
        return _render(title, params)[:255], _render(body, params)


def notify_each(*, kind: str, events: Iterable[Event]) -> int:
    """Tell many users of many events of one kind at once (a daily reminder of every survey that
    opened, each to its own learners): the rows are written in batches of `BATCH`, one preference
    lookup and one INSERT per batch, whatever the number of events. An (user, event key) already
    told is skipped by the database, as with `notify`. Returns how many events were given."""
    spec = notification_kinds.require(kind)
    count = 0
    any_email = False
    it = iter(events)
    while batch := list(islice(it, BATCH)):
        choices = _choices(spec, list({e.user_id for e in batch}))
        rows = [
            {
                "user_id": e.user_id,
                "kind": kind,
                "event_key": e.event_key,
                "title": e.title[:255],
                "body": e.body,
                "url": e.url,
                "read_at": None,
                "emailed_at": None,
                "in_app": choices[e.user_id][0],
                "email_pending": choices[e.user_id][1],
            }
            for e in batch
        ]
        bulk_insert_values(Notification, rows, ignore_conflicts=True)
        any_email = any_email or any(r["email_pending"] for r in rows)
        count += len(batch)
    if any_email:
        transaction.on_commit(_enqueue_emails)
    return count


def _enqueue_emails() -> None:
    from bdtx.notifications.tasks import notification_emails_send

    notification_emails_send.enqueue()


def _site_url() -> str:
    return site_url()


def _message(n: Mapping[str, Any], address: str) -> EmailMessage:
    lines = [n["body"]] if n["body"] else []
    if n["url"]:
        lines.append(f"{_site_url()}{n['url']}")
    lines += [
        "",
        "—",
        translation.gettext("You can choose which notifications you receive by e-mail: %(url)s")
        % {"url": f"{_site_url()}/notifications/settings/"},
    ]
    return EmailMessage(subject=f"[BDTX] {n['title']}", body="\n".join(lines), to=[address])


def notification_emails_send(*, limit: int | None = None) -> int:
    """Send the e-mails still waiting (`email_pending`), oldest first; returns how many went out.

    Each row is claimed (pending cleared, `emailed_at` stamped) before its message is sent, in its
    own statement, so two workers never send the same row and a retried task never sends it again;
    a message the mail server refuses is put back to wait for the next run. A user without an
    e-mail address is skipped (the row stays unsent)."""
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            batch = list(
                Notification.objects.filter(email_pending=True)
                .order_by("id")
                .values("id", "title", "body", "url", "user__email", "user__person__email")[:200]
            )
            if not batch:
                return sent
            connection = mailers.default
            for n in batch:
                address = (n["user__email"] or n["user__person__email"] or "").strip()
                claimed = Notification.objects.filter(pk=n["id"], email_pending=True).update(
                    email_pending=False, emailed_at=timezone.now() if address else None
                )
                if not claimed or not address:
                    continue
                try:
                    connection.send_messages([_message(n, address)])
                except Exception:
                    Notification.objects.filter(pk=n["id"]).update(email_pending=True, emailed_at=None)
                    logger.exception("Notification %s: the e-mail could not be sent", n["id"])
                    return sent
                sent += 1
                if limit is not None and sent >= limit:
                    return sent


def _own_user(scope: Scope) -> int:
    """Notifications and their settings are the signed-in user's own: nobody acts for another."""
    if scope.user_id is None:
        raise PermissionDenied
    return scope.user_id


def notification_mark_read(*, scope: Scope, uuid: Any | None = None) -> int:
    """Mark one of the user's own notifications read (`uuid`), or all of them; returns how many changed."""
    qs = Notification.objects.filter(user_id=_own_user(scope), read_at__isnull=True)
    if uuid is not None:
        qs = qs.filter(uuid=uuid)
    return qs.update(read_at=timezone.now())


def notification_settle(*, user_id: int, kind: str, event_key: str) -> int:
    """Mark read what the user was told of an event that no longer waits for them (a survey they have
    now answered), so the bell stops counting it; called by the service that settles it, inside its
    transaction. Returns how many rows changed (0 or 1)."""
    return Notification.objects.filter(user_id=user_id, kind=kind, event_key=event_key, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_preferences_set(*, scope: Scope, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """Store the user's own (in the app, by e-mail) choice for each kind; a choice equal to the
    kind's defaults removes the row. (A user's own settings, like their language: no audit entry.)"""
    user_id = _own_user(scope)
    for code, (in_app, email) in choices.items():
        kind = notification_kinds.require(code)
        if in_app and email == kind.default_email:
            NotificationPreference.objects.filter(user_id=user_id, kind=code).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user_id=user_id, kind=code, defaults={"in_app": in_app, "email": email}
            )
