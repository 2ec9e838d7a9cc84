"""Audit actions on people and their work (registered from `PeopleConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, NotePattern, school_year_label
from bdtx.core.importing.audit import KIND_YEAR, ONLY_VALID, SUMMARY_FIELDS

# How the audit log writes a difficult area "as the unit" (Employment.difficult_area None), which
# would otherwise read as empty; True and False read as Yes and No.
AS_THE_UNIT = "unit"
DIFFICULT_AREA_VALUES = {AS_THE_UNIT: _("as the unit")}

# Staff imports write one entry per person, noted with the import they came from.
FROM_IMPORT = NotePattern(r"import (?P<job>[0-9a-f-]{36})", _("from the import %(job)s"))

# What a sensitive-data read showed, as the pages, exports and the API note it.
SENSITIVE_READS = (
    NotePattern(r"person detail: ethnicity, personal ID", _("a person's details: ethnicity, personal ID number")),
    NotePattern(r"staff list export \(\.xlsx\)", _("staff list exported (.xlsx)")),
    NotePattern(r"API staff list", _("staff list through the API")),
    NotePattern(r"participants by module \(\.xlsx\)", _("participants by module exported (.xlsx)")),
    NotePattern(r"import file (?P<job>[0-9a-f-]{36})", _("the file of the import %(job)s")),
    NotePattern(r"person edit form: ethnicity, personal ID", _("a person's edit form: ethnicity, personal ID number")),
    NotePattern(r"ID number search", _("a search by ID number")),
    NotePattern(r"ID number search: nobody found", _("a search by ID number that found nobody")),
    NotePattern(r"staff list: ethnic-minority filter", _("the staff list filtered by ethnicity")),
    NotePattern(
        r"staff list export \(\.xlsx\), ethnic-minority filter", _("staff list filtered by ethnicity, exported (.xlsx)")
    ),
    NotePattern(r"import problems (?P<job>[0-9a-f-]{36})", _("the problems found in the import %(job)s")),
    NotePattern(r"import problems file (?P<job>[0-9a-f-]{36})", _("the problems file of the import %(job)s")),
)

ACTIONS = [
    AuditAction("person.create", _("Person added"), notes=(FROM_IMPORT,)),
    AuditAction("person.update", _("Person changed"), notes=(FROM_IMPORT,)),
    AuditAction(
        "employment.update",
        _("Work details changed"),
        fields={"unit_id": _("unit")},
        values={"difficult_area": DIFFICULT_AREA_VALUES},
    ),
    AuditAction(
        "person.transfer",
        _("Person transferred to another unit"),
        fields={"unit": _("unit"), "school_year": _("from the school year"), "difficult_area": _("difficult area")},
        values={"school_year": school_year_label, "difficult_area": DIFFICULT_AREA_VALUES},
    ),
    AuditAction("sensitive.read", _("Sensitive data viewed"), notes=SENSITIVE_READS),
    # the staff importer (people/importers.py) through the import pipeline
    AuditAction(
        "import.upload",
        _("Staff file uploaded"),
        notes=(KIND_YEAR,),
    ),
    AuditAction("import.confirm", _("Staff import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "import.staff",
        _("Staff file imported"),
        fields={**SUMMARY_FIELDS, "created": _("people added"), "updated": _("people updated")},
        values={"school_year": school_year_label},
        notes=(ONLY_VALID,),
    ),
]
