"""Audit actions of certificates (registered from `CertificatesConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction

ACTIONS = [
    AuditAction(
        "certificate.issue",
        _("Certificate issued"),
        fields={"number": _("number"), "result": _("result"), "school_year": _("school year")},
    ),
    AuditAction("certificate.revoke", _("Certificate revoked"), fields={"status": _("status")}),
    AuditAction(
        "certificate_job.start",
        _("Bulk issuance of certificates started"),
        fields={"school_year": _("school year")},
    ),
    AuditAction("issuer_key.rotate", _("Certificate signing key replaced")),
]
