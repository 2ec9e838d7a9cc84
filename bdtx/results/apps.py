from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "bdtx.results"
    label = "results"
    verbose_name = _("Year results")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.results.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)

        from bdtx.results.compute import results_refresh
        from bdtx.training.hooks import on_learning_changed

        on_learning_changed(results_refresh)
