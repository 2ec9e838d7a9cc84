from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "bdtx.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.organisations.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)
