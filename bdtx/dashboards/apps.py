from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    """Dashboards per role (issue 11): plans, enrolment, progress and completion over the year by unit,
    module and group, aggregates only, small cells suppressed for non-sensitive roles, drill-down."""

    name = "bdtx.dashboards"
    label = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self) -> None:
        from bdtx.dashboards.selectors import summarise
        from bdtx.summaries.registry import register

        register(self.label, summarise)
