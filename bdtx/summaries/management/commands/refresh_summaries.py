"""Recompute the per-unit summaries of the units logged as changed (or, with --all, of every unit)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from bdtx.summaries.services import refresh_all
from bdtx.summaries.triggers import LOG_EVERYTHING


class Command(BaseCommand):
    help = "Recompute the summaries behind reports and dashboards (after a bulk load with the triggers off: --all)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="every unit with data, not only the changed ones")
        parser.add_argument("--year", type=int, help="one school year (its start year)")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["all"]:
            with connection.cursor() as cursor:
                cursor.execute(LOG_EVERYTHING)
        n = refresh_all(school_year_id=options["year"])
        self.stdout.write(
            _("Figures summarised for %(n)d units in %(s).1f s.") % {"n": n, "s": time.perf_counter() - started}
        )
