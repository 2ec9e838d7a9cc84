from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "bdtx.standards"
    label = "standards"
    verbose_name = _("Professional standards")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.core.importing.base import register
        from bdtx.core.person_links import register_person_link
        from bdtx.standards.audit import ACTIONS
        from bdtx.standards.importers import TemisImporter
        from bdtx.standards.links import KEY, assessment_link

        audit_actions.register(*ACTIONS, app=self.label)
        register(TemisImporter())
        register_person_link(KEY, assessment_link, order=10)
