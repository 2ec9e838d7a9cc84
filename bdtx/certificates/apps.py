from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "bdtx.certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from bdtx.certificates.audit import ACTIONS
        from bdtx.core.audit import audit_actions

        audit_actions.register(*ACTIONS, app=self.label)
