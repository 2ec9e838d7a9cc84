from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "bdtx.results"
    label = "results"
    verbose_name = _("Year results")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.core.importing import base as importing
        from bdtx.results.audit import ACTIONS
        from bdtx.results.importers import ACTIONS as IMPORT_ACTIONS
        from bdtx.results.importers import HistoricResultsImporter

        audit_actions.register(*ACTIONS, app=self.label)
        audit_actions.register(*IMPORT_ACTIONS, app=self.label)
        importing.register(HistoricResultsImporter())

        from bdtx.notifications.kinds import notification_kinds
        from bdtx.results.notifications import KINDS

        notification_kinds.register(*KINDS, app=self.label)

        from bdtx.results.compute import results_refresh
        from bdtx.training.hooks import on_learning_changed

        on_learning_changed(results_refresh)
