from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "bdtx.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.core.importing.base import register
        from bdtx.people.audit import ACTIONS
        from bdtx.people.importers import StaffImporter

        audit_actions.register(*ACTIONS, app=self.label)
        register(StaffImporter())
