"""Daily reminders (deadlines in 7 and in 1 day, surveys waiting for their learners). Run once a
day (cron or a systemd timer, docs/deploy.md); running it again, or after a missed day, tells nobody twice."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from bdtx.notifications.reminders import reminders_send
from bdtx.notifications.services import notification_emails_send


class Command(BaseCommand):
    help = "Send the reminders of the day (deadlines in 7 and 1 day ahead, surveys waiting), then the e-mails waiting."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to remind for, YYYY-MM-DD (default: today)")
        parser.add_argument("--no-email", action="store_true", help="leave the e-mails to the background worker")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        for name, count in reminders_send(today=today).items():
            self.stdout.write(f"{name}: {count}")
        if not options["no_email"]:
            self.stdout.write(f"e-mails sent: {notification_emails_send()}")
