from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "bdtx.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.imports.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)
