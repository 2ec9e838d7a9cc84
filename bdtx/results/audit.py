"""Audit actions of year results (registered from `ResultsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, ValueFormat, school_year_label

FLOW_FIELDS = {
    "people": _("people"),
    "completed": _("completed"),
    "school_year": _("school year"),
    "recogniser": _("recognised by"),
}
FLOW_VALUES: dict[str, ValueFormat] = {"school_year": school_year_label}

ACTIONS = [
    AuditAction(
        "results.compute",
        _("Year results computed"),
        fields={"people": _("people"), "completed": _("completed"), "kept": _("recognised, kept as they are")},
    ),
    AuditAction("results.propose", _("Year results proposed for recognition"), fields=FLOW_FIELDS, values=FLOW_VALUES),
    AuditAction("results.recognise", _("Year results recognised"), fields=FLOW_FIELDS, values=FLOW_VALUES),
    AuditAction("results.return", _("Year results returned to the school"), fields=FLOW_FIELDS, values=FLOW_VALUES),
    AuditAction(
        "results.correct",
        _("Recognised year result corrected"),
        fields={"label": _("result"), "completed": _("completed the BDTX plan")},
    ),
]
