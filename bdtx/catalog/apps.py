from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "bdtx.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from bdtx.catalog.importers import CatalogImporter
        from bdtx.core.importing.base import register
        from bdtx.core.models import ACTION_LABELS

        register(CatalogImporter())
        ACTION_LABELS.setdefault("catalog_import.confirm", _("Catalog import confirmed"))
