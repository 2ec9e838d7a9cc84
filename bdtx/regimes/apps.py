from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegimesConfig(AppConfig):
    name = "bdtx.regimes"
    label = "regimes"
    verbose_name = _("Regimes")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.regimes.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)
