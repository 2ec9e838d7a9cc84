"""Audit actions of year results (registered from `ResultsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction

ACTIONS = [
    AuditAction(
        "results.compute",
        _("Year results computed"),
        fields={"people": _("people"), "completed": _("completed"), "kept": _("recognised, kept as they are")},
    ),
]
