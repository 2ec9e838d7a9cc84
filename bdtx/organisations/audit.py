"""Audit actions of the organisation tree (registered from `OrganisationsConfig.ready`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, readable
from bdtx.organisations.models import SchoolLevel


def school_levels_label(value: Any) -> object:
    """Stored school levels (",TH,THCS,") by their names: "Tiểu học, Trung học cơ sở"."""
    if isinstance(value, str):
        return readable([lv for lv in value.split(",") if lv], SchoolLevel.choices)
    return readable(value)


UNIT_FIELDS = {"kind": _("kind of unit"), "parent": _("parent unit"), "effective": _("in force from")}
UNIT_VALUES = {"levels": school_levels_label}

ACTIONS = [
    AuditAction("unit.create", _("Unit created"), fields=UNIT_FIELDS, values=UNIT_VALUES),
    AuditAction("unit.update", _("Unit changed"), fields=UNIT_FIELDS, values=UNIT_VALUES),
    AuditAction("unit.move", _("Unit moved in the tree"), fields=UNIT_FIELDS),
    AuditAction("unit.letterhead", _("Letterhead and signer of the unit's documents changed")),
]
