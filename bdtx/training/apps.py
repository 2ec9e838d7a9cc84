from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "bdtx.training"
    label = "training"
    verbose_name = _("Training delivery")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.training.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)

        from bdtx.core.importing.base import register
        from bdtx.training.importers import LmsResultsImporter, ScoresImporter

        register(LmsResultsImporter())
        register(ScoresImporter())

        from bdtx.plans.panels import register_plan_panel
        from bdtx.training.selectors import mentor_hours_panel

        register_plan_panel(mentor_hours_panel)

        from bdtx.notifications.kinds import notification_kinds
        from bdtx.training.notifications import KINDS

        notification_kinds.register(*KINDS, app=self.label)
