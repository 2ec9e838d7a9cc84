"""manage.py load_demo: the demo provinces (Sở GD&ĐT Cao Bằng and Lạng Sơn), idempotently."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from bdtx.core.bulk import planner_statistics_refresh
from bdtx.plans.models import PlanStatus


class Command(BaseCommand):
    help = (
        "Load the demo provinces (Cao Bằng, and Lạng Sơn a fifth of its size): units with their 2025 history, "
        "staff, one account per role, and a second Sở account."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--staff", type=int, default=None, help="Staff of the current school year of Cao Bằng (about)."
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            from bdtx.demo.province import DEMO_STAFF, DemoConflict, demo_load
        except ImportError as exc:  # Faker comes with the development dependencies
            raise CommandError(
                _("The demo needs the development dependencies (pip install -r requirements-dev.txt): %(e)s")
                % {"e": exc}
            ) from exc
        staff = options["staff"] or DEMO_STAFF
        try:
            summaries = demo_load(staff=int(staff))  # type: ignore[call-overload]
        except DemoConflict as exc:
            raise CommandError(str(exc)) from exc
        # Every step below reads what the steps before it wrote in this same transaction: on
        # PostgreSQL, without fresh statistics, their queries took minutes instead of seconds.
        planner_statistics_refresh()
        from bdtx.demo.programmes import programme_demo_load

        content = programme_demo_load()
        if content:
            self.stdout.write(_("Programme content and focus modules published: %(n)d rows.") % {"n": content})
        from bdtx.demo.plans import plans_demo_load
        from bdtx.demo.training import training_demo_load

        plans_loaded = [p for p in plans_demo_load() if p.loaded]
        cohorts = training_demo_load()  # enrolled from the approved plans above
        planner_statistics_refresh()
        from bdtx.demo.delivery import delivery_demo_load

        delivered = delivery_demo_load()  # the cohort that ran in October: marks, lists to approve
        from bdtx.demo.results import previous_year_demo_load

        results = previous_year_demo_load()  # last year ran to its end: results, certificates
        planner_statistics_refresh()
        from bdtx.demo.yearreports import year_reports_demo_load

        reports = year_reports_demo_load()  # and was reported up the tree in June
        from bdtx.demo.bieu3 import bieu3_demo_load

        bieu3_drafts = bieu3_demo_load()  # the office's and the Sở's Biểu 3 drafts on that year
        from bdtx.summaries.services import refresh_all

        summarised = refresh_all()  # the reports' and dashboards' summaries of everything just written
        if summarised:
            self.stdout.write(_("Figures summarised for %(n)d units.") % {"n": summarised})
        if (
            not any(s.loaded for s in summaries)
            and not plans_loaded
            and not cohorts
            and not delivered
            and not results
            and not reports
            and not bieu3_drafts
        ):
            self.stdout.write(_("The demo provinces are already loaded: nothing to do."))
            return
        for summary in summaries:
            if not summary.loaded:
                self.stdout.write(_("The demo province %(name)s is already loaded.") % {"name": summary.province})
                continue
            years = ", ".join(f"{y}-{y + 1}: {n}" for y, n in sorted(summary.staff.items()))
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo province %(name)s loaded in %(s).1f s: %(units)d units; staff by school year: %(years)s.")
                    % {"name": summary.province, "s": summary.seconds, "units": summary.units, "years": years}
                )
            )
        for plans in plans_loaded:
            people = ", ".join(f"{PlanStatus(k).label.lower()}: {n}" for k, n in sorted(plans.by_status.items()))
            units = ", ".join(
                f"{PlanStatus(k).label.lower() if k in PlanStatus.values else _('compiled in all')}: {n}"
                for k, n in sorted(plans.unit_plans.items())
            )
            self.stdout.write(
                _("Demo plans of %(name)s: personal plans %(plans)s; unit plans %(units)s (%(s).1f s).")
                % {"name": plans.province, "plans": people, "units": units, "s": plans.seconds}
            )
        if cohorts:
            self.stdout.write(
                _("Training cohorts of this school year, enrolled from approved plans and split into groups: %(n)d.")
                % {"n": cohorts}
            )
        if results:
            self.stdout.write(
                _("Year results of the previous school year computed, recognised and certified: %(n)d.")
                % {"n": results}
            )
        if reports:
            self.stdout.write(
                _("Results reports of the previous school year filed up the tree: %(n)d.") % {"n": reports}
            )
        if bieu3_drafts:
            self.stdout.write(_("Biểu 3 drafts of the previous school year: %(n)d.") % {"n": bieu3_drafts})
