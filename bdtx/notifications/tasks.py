"""Background work of notifications: sending the e-mails waiting, and the daily reminders."""

from datetime import date

from django.tasks import task
from django.utils import timezone

from bdtx.notifications import reminders, services


@task
def notification_emails_send() -> None:
    """Send every notification e-mail still waiting (enqueued when a notifying transaction commits)."""
    services.notification_emails_send()


@task
def reminders_send(day: str | None = None) -> None:
    """The daily reminders (deadlines in 7 days and in 1 day, surveys waiting) for `day` (ISO date; default today)."""
    reminders.reminders_send(today=date.fromisoformat(day) if day else timezone.localdate())
