"""How the import pipeline's audit entries read, shared by the apps whose importers write them
(each app registers its importer's upload, confirm and write actions in its own audit.py)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import NotePattern
from bdtx.core.importing import base as importing

ONLY_VALID = NotePattern(r"only valid rows", _("only the valid rows"))


def kind_label(kind: str) -> str:
    """An importer's name ('staff' → 'Danh sách cán bộ'), or the code of a kind no longer registered."""
    try:
        return str(importing.get(kind).label)
    except KeyError:
        return kind


KIND_YEAR = NotePattern(r"(?P<kind>\w+), (?P<year>.+)", "%(kind)s, %(year)s", values={"kind": kind_label})
# What every import's summary entry holds (`imports.services`), named for the audit log.
SUMMARY_FIELDS = {
    "rows": _("rows in the file"),
    "written": _("rows written"),
    "created": _("added"),
    "updated": _("updated"),
    "skipped": _("rows left out"),
    "school_year": _("school year"),
}
