from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "bdtx.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from bdtx.catalog.audit import ACTIONS
        from bdtx.catalog.importers import CatalogImporter
        from bdtx.core.audit import audit_actions
        from bdtx.core.importing.base import register

        audit_actions.register(*ACTIONS, app=self.label)
        register(CatalogImporter())
