from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bdtx.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from bdtx.accounts.audit import ACTIONS
        from bdtx.core.audit import audit_actions

        audit_actions.register(*ACTIONS, app=self.label)
