from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bdtx.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.plans.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)
