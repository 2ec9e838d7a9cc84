from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearReportsConfig(AppConfig):
    """The yearly BDTX results report up the tree (issue 11): each school files its year's figures,
    each level above aggregates its children and files to its parent by the deadline; filed reports
    are snapshots, decided (accepted or returned) by the parent, with a status board like plans'."""

    name = "bdtx.yearreports"
    label = "yearreports"
    verbose_name = _("Yearly results reports")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.notifications.kinds import notification_kinds
        from bdtx.summaries.registry import register
        from bdtx.yearreports.audit import ACTIONS
        from bdtx.yearreports.notifications import KINDS
        from bdtx.yearreports.summary import summarise

        audit_actions.register(*ACTIONS, app=self.label)
        notification_kinds.register(*KINDS, app=self.label)
        register(self.label, summarise)
