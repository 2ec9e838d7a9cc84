"""Audit actions on regimes and the provinces' 01/02 split (registered from `RegimesConfig.ready`)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, readable, school_year_label


def _categories(value: Any) -> object:
    """Result categories read by their labels: "Giỏi, Khá, Trung bình"."""
    if isinstance(value, list) and all(isinstance(c, dict) for c in value):
        return ", ".join(str(c.get("label") or c.get("code") or "") for c in value)
    return readable(value)


REGIME_VALUES = {"first_year": school_year_label, "last_year": school_year_label, "result_categories": _categories}

ACTIONS = [
    AuditAction("regime.create", _("Regime added"), values=REGIME_VALUES),
    AuditAction("regime.update", _("Regime changed"), values=REGIME_VALUES),
    AuditAction("hours_shift.set", _("Programme 01/02 periods split set")),
]
