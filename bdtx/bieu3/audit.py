"""Audit actions of Biểu 3 reports (registered from `Bieu3Config.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.bieu3.models import Audience
from bdtx.core.audit import AuditAction

ACTIONS = [
    AuditAction(
        "bieu3.create",
        _("Biểu 3 report created"),
        fields={"period": _("period"), "modules": _("modules"), "audience": _("audience")},
        values={"audience": Audience.choices},
    ),
    AuditAction(
        "bieu3.update",
        _("Biểu 3 report edited"),
        fields={
            "sections": _("sections changed"),
            "number": _("document number"),
            "report_date": _("report date"),
            "institution": _("training institution"),
            "signer_title": _("title of the signer"),
            "signer_name": _("name of the signer"),
        },
    ),
    AuditAction("bieu3.delete", _("Biểu 3 report deleted")),
]
