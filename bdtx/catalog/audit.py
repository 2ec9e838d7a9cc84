"""Audit actions on programme content, focus modules, materials, modules and catalogs, and their
imports (registered from `CatalogConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, NotePattern, school_year_label
from bdtx.core.importing.audit import ONLY_VALID, SUMMARY_FIELDS
from bdtx.organisations.audit import school_levels_label
from bdtx.regimes.models import Programme

CONTENT_FIELDS = {"position": _("order")}
# Content entries are noted with their programme and school year: "BD01 2024-2025".
PROGRAMME_YEAR = NotePattern(
    r"(?P<programme>BD0\d) (?P<year>\d{4}-\d{4})", "%(programme)s, %(year)s", values={"programme": Programme.choices}
)
FOCUS_FIELDS = {"module": _("module"), "priority": _("priority")}
CATALOG_VALUES = {"first_year": school_year_label, "last_year": school_year_label}
# A province's periods of a module: the years they hold read "2025-2026 → …".
LOCAL_HOURS_FIELDS = {"hours": _("periods"), "source": _("decided by (document)"), "years": _("school years")}

ACTIONS = [
    AuditAction("content.create", _("Programme content added"), fields=CONTENT_FIELDS, notes=(PROGRAMME_YEAR,)),
    AuditAction("content.update", _("Programme content changed"), fields=CONTENT_FIELDS),
    AuditAction("content.delete", _("Programme content removed"), fields=CONTENT_FIELDS),
    AuditAction("focus_module.add", _("Focus module added"), fields=FOCUS_FIELDS),
    AuditAction("focus_module.remove", _("Focus module removed"), fields=FOCUS_FIELDS),
    AuditAction("material.add", _("Learning material added")),
    AuditAction("material.remove", _("Learning material removed")),
    AuditAction("module.create", _("Module added"), values={"levels": school_levels_label}),
    AuditAction("module.update", _("Module changed"), values={"levels": school_levels_label}),
    AuditAction("module_local_hours.set", _("Periods of a module set for the province"), fields=LOCAL_HOURS_FIELDS),
    AuditAction(
        "module_local_hours.clear", _("Periods of a module for the province removed"), fields=LOCAL_HOURS_FIELDS
    ),
    AuditAction("catalog.create", _("Catalog added"), values=CATALOG_VALUES),
    AuditAction("catalog.update", _("Catalog changed"), values=CATALOG_VALUES),
    AuditAction("catalog_import.upload", _("Catalog file uploaded")),
    AuditAction("catalog_import.confirm", _("Catalog import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "catalog.import",
        _("Catalog file imported"),
        fields={**SUMMARY_FIELDS, "created": _("modules added"), "updated": _("modules updated")},
    ),
]
