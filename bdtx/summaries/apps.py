from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    """Per-school summaries of a year's figures, kept up to date as the data under them changes.

    Database triggers log every write that may change a unit's figures of a year (`triggers`); the
    apps that report (yearreports, dashboards) register a summariser that rewrites their rows for a
    set of units (`registry`); a read first brings the units it sums up to date (`services.ensure_fresh`:
    inline when few changed, else in the background with a progress bar)."""

    name = "bdtx.summaries"
    label = "summaries"
    verbose_name = _("Figure summaries")
