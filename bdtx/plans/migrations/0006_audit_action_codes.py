"""One vocabulary for the steps of plans: events and audit entries store the same codes
(`plan.submit`, `unit_plan.compile`, registered in bdtx/plans/audit.py), so old rows are rewritten
to keep their labels. Reversible."""

from django.db import migrations

# Personal plan events used to store the step alone; their audit entries were `plan.<step>`.
PLAN_EVENTS = {
    "created": "plan.create",
    "submitted": "plan.submit",
    "approved": "plan.approve",
    "returned": "plan.return",
    "reopened": "plan.reopen",
}
UNIT_PLAN_EVENTS = {
    "compiled": "unit_plan.compile",
    "submitted": "unit_plan.submit",
    "approved": "unit_plan.approve",
    "returned": "unit_plan.return",
}
AUDIT_ACTIONS = {
    "plan.approved": "plan.approve",
    "plan.returned": "plan.return",
    "plan.reopened": "plan.reopen",
    "unit_plan.compiled": "unit_plan.compile",
    "unit_plan.submitted": "unit_plan.submit",
    "unit_plan.approved": "unit_plan.approve",
    "unit_plan.returned": "unit_plan.return",
}
TABLES = [("plans", "PlanEvent", PLAN_EVENTS), ("plans", "UnitPlanEvent", UNIT_PLAN_EVENTS), ("core", "AuditLog", AUDIT_ACTIONS)]


def rename(apps, renames):
    for app_label, model_name, codes in TABLES:
        model = apps.get_model(app_label, model_name)
        for old, new in renames(codes).items():
            model.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, lambda codes: codes)


def backwards(apps, schema_editor):
    rename(apps, lambda codes: {new: old for old, new in codes.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_school_years"),
        ("plans", "0005_event_action_codes_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
