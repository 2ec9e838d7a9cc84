"""Audit actions of personal plans, deadlines and unit plans (registered from `PlansConfig.ready`).

The steps of a plan's life are also its events (`PlanEvent`, `UnitPlanEvent`): they store the same
codes and read with the same labels.
"""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, ValueFormat, month_label
from bdtx.plans.models import Form

# Lines of a personal plan are audited on the plan: name what the line's keys are.
ITEM_FIELDS = {
    "module": _("module"),
    "hours": _("periods"),
    "form": _("form"),
    "start_month": _("from (month)"),
    "end_month": _("to (month)"),
}
ITEM_VALUES: dict[str, ValueFormat] = {"form": Form.choices, "start_month": month_label, "end_month": month_label}

ACTIONS = [
    AuditAction("plan.create", _("Personal plan started")),
    AuditAction("plan.submit", _("Personal plan submitted")),
    AuditAction("plan.approve", _("Personal plan approved")),
    AuditAction("plan.return", _("Personal plan returned")),
    AuditAction("plan.reopen", _("Personal plan reopened")),
    AuditAction(
        "plan.copies_create",
        _("Personal plans created from an exemplar (loader)"),
        fields={"plans": _("plans created")},
    ),
    AuditAction("plan.item_add", _("Module added to a personal plan"), fields=ITEM_FIELDS, values=ITEM_VALUES),
    AuditAction("plan.item_update", _("Line of a personal plan changed"), fields=ITEM_FIELDS, values=ITEM_VALUES),
    AuditAction("plan.item_remove", _("Module removed from a personal plan"), fields=ITEM_FIELDS, values=ITEM_VALUES),
    AuditAction("deadline.set", _("Deadline set")),
    AuditAction("deadline.delete", _("Deadline removed")),
    AuditAction("unit_plan.compile", _("Unit plan compiled")),
    AuditAction("unit_plan.submit", _("Unit plan submitted")),
    AuditAction("unit_plan.approve", _("Unit plan approved")),
    AuditAction("unit_plan.return", _("Unit plan returned")),
]
