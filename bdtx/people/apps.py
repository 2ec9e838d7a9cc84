from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "bdtx.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from bdtx.core.importing.base import register
        from bdtx.people.importers import StaffImporter

        register(StaffImporter())
