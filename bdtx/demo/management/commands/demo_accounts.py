"""manage.py demo_accounts: the demo's sign-in names, password, roles and units, as a table."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from bdtx.accounts.models import Role, RoleAssignment
from bdtx.demo.province import DEMO_ACCOUNTS, DEMO_PASSWORD


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = "Print the demo accounts (user name, password, role, unit) and the address to open."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Address of the web server.")

    def handle(self, *args: object, **options: object) -> None:
        usernames = [a.username for a in DEMO_ACCOUNTS]
        users = User.objects.in_bulk(usernames, field_name="username")
        if not users:
            self.stdout.write(_("No demo accounts: run manage.py load_demo first."))
            return
        assignments = {
            (ra.user.username, ra.role): ra.unit
            for ra in RoleAssignment.objects.filter(user__username__in=usernames).select_related("user", "unit")
        }
        rows = [[_("User name"), _("Password"), _("Role"), _("Unit")]]
        for a in DEMO_ACCOUNTS:
            if a.username not in users:
                continue
            unit = assignments.get((a.username, a.role))
            name = unit.short_name or unit.name if unit else ""
            if unit is not None and unit.dissolved_on:
                name += " " + _("(dissolved %(day)s)") % {"day": unit.dissolved_on.strftime("%d/%m/%Y")}
            rows.append([a.username, DEMO_PASSWORD, str(Role(a.role).label), name])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("BDTX is at %(url)s") % {"url": options["url"]}))
        self.stdout.write(_("Demo accounts (the same password for all):"))
        for line in _table(rows):
            self.stdout.write("  " + line)
        self.stdout.write("")
