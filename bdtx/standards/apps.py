from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "bdtx.standards"
    label = "standards"
    verbose_name = _("Professional standards")

    def ready(self) -> None:
        from bdtx.core.importing.base import register
        from bdtx.core.models import ACTION_LABELS
        from bdtx.standards.importers import TemisImporter

        register(TemisImporter())

        # The audit log names this app's actions in words (core keeps the table).
        ACTION_LABELS.update(
            {
                "assessment.save": _("Self-assessment saved"),
                "assessment.submit": _("Self-assessment submitted"),
                "assessment.opinion": _("Colleague's opinion added"),
                "assessment.evaluate": _("Assessment evaluated"),
                "assessment.import": _("Assessment imported from TEMIS"),
                "temis.upload": _("TEMIS results file uploaded"),
                "temis.confirm": _("TEMIS results import confirmed"),
                "temis.import": _("TEMIS results imported"),
            }
        )
