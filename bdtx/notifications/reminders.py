"""Reminders that come from dates rather than from a service (a deadline in 7 days, in 1 day): each
app registers a function from its `AppConfig.ready()`; `send_reminders` (a daily command, and the
task of the same name) runs them all for a day.

    from bdtx.notifications.reminders import register_reminder

    register_reminder("plans.deadlines", deadline_reminders)  # deadline_reminders(*, today) -> int

A function calls `notify` with an event key that names the date it reminds of (`…:7`, `…:1`), so
running it again the same day, or after a missed day, tells nobody twice.
"""

from collections.abc import Callable
from datetime import date

from django.db import transaction

Reminder = Callable[..., int]

_reminders: dict[str, Reminder] = {}


def register_reminder(name: str, func: Reminder) -> None:
    _reminders[name] = func


def reminders_send(*, today: date) -> dict[str, int]:
    """Run every registered reminder for `today`, each in its own transaction; returns, per reminder,
    how many people it was given (repeats of earlier runs included)."""
    out: dict[str, int] = {}
    for name, func in _reminders.items():
        with transaction.atomic():
            out[name] = func(today=today)
    return out
