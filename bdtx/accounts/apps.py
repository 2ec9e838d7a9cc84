from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "bdtx.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from bdtx.accounts.audit import ACTIONS
        from bdtx.accounts.middleware import password_change_required_remember
        from bdtx.core.audit import audit_actions

        audit_actions.register(*ACTIONS, app=self.label)
        user_logged_in.connect(password_change_required_remember, dispatch_uid="bdtx.password_change_required")
