"""Mark failed the imports whose worker died (a systemd timer or cron runs it; see docs/deploy.md)."""

from django.core.management.base import BaseCommand

from bdtx.imports.services import import_jobs_expire


class Command(BaseCommand):
    help = "Mark failed the running imports whose lease ran out (their worker is gone), so they can be retried."

    def handle(self, *args: object, **options: object) -> None:
        marked = import_jobs_expire()
        if marked or int(str(options.get("verbosity", 1))) > 1:
            self.stdout.write(f"{marked} abandoned import job(s) marked failed")
