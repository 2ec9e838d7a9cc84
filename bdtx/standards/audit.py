"""Audit actions on self-assessments against the professional standards, their TEMIS imports, and
the standards themselves (registered from `StandardsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, NotePattern
from bdtx.core.importing.audit import ONLY_VALID, SUMMARY_FIELDS
from bdtx.standards.models import LevelsAre

ACTIONS = [
    AuditAction(
        "assessment.save",
        _("Self-assessment saved"),
        notes=(NotePattern(r"(?P<circular>.*): (?P<n>\d+) criteria rated", _("%(circular)s: %(n)s criteria rated")),),
    ),
    AuditAction("assessment.submit", _("Self-assessment submitted")),
    AuditAction("assessment.opinion", _("Colleague's opinion added")),
    AuditAction("assessment.evaluate", _("Assessment evaluated")),
    AuditAction(
        "assessment.import",
        _("Assessment imported from TEMIS"),
        notes=(
            NotePattern(
                r"(?P<file>.*) row (?P<row>\d+); file rating: (?P<rating>.*)",
                _("%(file)s, row %(row)s; rating in the file: %(rating)s"),
            ),
        ),
    ),
    AuditAction(
        "temis.upload",
        _("TEMIS results file uploaded"),
        notes=(
            NotePattern(
                r"(?P<year>\d{4}-\d{4}), (?P<levels>\w+)",
                "%(year)s, %(levels)s",
                values={"levels": LevelsAre.choices},
            ),
        ),
    ),
    AuditAction("assessment.recompute", _("Rating computed again after a correction of the rules")),
    AuditAction(
        "criterion.add",
        _("Criterion added to a standard"),
        fields={"standard": _("standard"), "standard_title": _("title of the standard")},
    ),
    AuditAction(
        "criterion.update",
        _("Criterion of a standard corrected"),
        fields={"standard": _("standard"), "standard_title": _("title of the standard")},
    ),
    AuditAction(
        "framework.update",
        _("Professional standard corrected"),
        fields={"rules": _("rating rules"), "key_criteria": _("key criteria")},
    ),
    AuditAction("temis.confirm", _("TEMIS results import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "temis.import",
        _("TEMIS results imported"),
        fields={**SUMMARY_FIELDS, "created": _("assessments added"), "updated": _("assessments updated")},
        notes=(
            NotePattern(
                r"(?P<file>.*): (?P<rows>\d+) rows, (?P<left>\d+) left out",
                _("%(file)s: %(rows)s rows, %(left)s left out"),
            ),
        ),
    ),
]
