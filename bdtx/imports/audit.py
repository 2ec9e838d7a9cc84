"""Audit actions of staff imports (registered from `ImportsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, NotePattern, school_year_label
from bdtx.imports.models import ImportJob

ONLY_VALID = NotePattern(r"only valid rows", _("only the valid rows"))
KIND_YEAR = NotePattern(r"(?P<kind>\w+), (?P<year>.+)", "%(kind)s, %(year)s", values={"kind": ImportJob.Kind.choices})

ACTIONS = [
    AuditAction(
        "import.upload",
        _("Staff file uploaded"),
        notes=(KIND_YEAR,),
    ),
    AuditAction("import.confirm", _("Staff import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "import.staff",
        _("Staff file imported"),
        fields={
            "rows": _("rows in the file"),
            "written": _("rows written"),
            "created": _("people added"),
            "updated": _("people updated"),
            "skipped": _("rows left out"),
            "school_year": _("school year"),
        },
        values={"school_year": school_year_label},
        notes=(ONLY_VALID,),
    ),
]
