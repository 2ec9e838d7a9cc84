"""Audit actions of the import pipeline itself, whatever the kind of file (registered from
`ImportsConfig.ready`); each importer's upload, confirm and write actions live in its own app."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, NotePattern
from bdtx.core.importing.audit import kind_label
from bdtx.imports.models import ImportJob

KIND = NotePattern(r"(?P<kind>\w+)", "%(kind)s", values={"kind": kind_label})
JOB_FIELDS = {"message": _("message"), "status": _("status")}
JOB_VALUES = {"status": ImportJob.Status.choices}

ACTIONS = [
    AuditAction("import_job.retry", _("Import tried again"), fields=JOB_FIELDS, values=JOB_VALUES, notes=(KIND,)),
    AuditAction(
        "import_job.abandon",
        _("Import stopped: its worker gave no sign of life"),
        fields=JOB_FIELDS,
        values=JOB_VALUES,
        notes=(KIND,),
    ),
]
