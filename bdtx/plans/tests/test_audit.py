"""The steps of plans read the same everywhere: the audit log, a plan's history and a unit plan's
history take their labels from the one audit vocabulary (bdtx/plans/audit.py); rows stored with
the old codes are rewritten by a data migration and keep their labels."""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import translation

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.plans.models import PlanEvent, UnitPlanEvent
from bdtx.plans.personal import services
from bdtx.plans.unit.services import unit_plan_compile

from .conftest import YEAR, content

pytestmark = pytest.mark.django_db

MIGRATION = "0006_audit_action_codes"
codes = importlib.import_module(f"bdtx.plans.migrations.{MIGRATION}")


def submitted_plan(world, pcat):  # type: ignore[no-untyped-def]
    content(world)
    person = world.people["teacher_a1"]
    plan = services.plan_start(scope=scope_for_user(person.user), person=person, school_year=SchoolYear.of(YEAR))
    services.plan_module_add(scope=scope_for_user(person.user), plan=plan, module=pcat.m["C40"])
    return services.plan_submit(scope=scope_for_user(person.user), plan=plan)


def test_the_audit_log_shows_a_personal_plan_submit_in_vietnamese_words(world, pcat, login):
    plan = submitted_plan(world, pcat)
    r = login(world.users["principal_a1"]).get(reverse("core:audit"), {"object": str(plan.uuid)})
    assert r.status_code == 200
    # what a person reads: the entries, not the filter form's option values
    page = re.sub(r'<form[^>]*id="audit-filter".*?</form>', "", r.text, flags=re.S)
    assert "Đã gửi kế hoạch cá nhân" in page and "Đã bắt đầu lập kế hoạch cá nhân" in page
    assert "Đã thêm mô đun vào kế hoạch cá nhân" in page
    assert "Bản nháp → Đã gửi" in page  # the status, by its labels
    for code in ("plan.submit", "plan.create", "plan.item_add", "draft", "submitted"):
        assert code not in page


def test_a_plans_history_uses_the_labels_of_its_audit_entries(world, pcat, login):
    plan = submitted_plan(world, pcat)
    services.plan_return(scope=scope_for_user(world.users["principal_a1"]), plan=plan, comment="Chọn thêm mô đun")
    events = list(plan.events.all())
    audit = {e.action: e.action_label for e in AuditLog.objects.filter(object_uuid=plan.uuid)}
    with translation.override("vi"):
        assert [e.label for e in events] == [audit[e.action] for e in events]
    r = login(world.users["teacher_a1"]).get(reverse("plans:mine"), {"year": YEAR})
    history = r.text[r.text.index('id="history"') :]
    assert "Đã gửi kế hoạch cá nhân" in history and "Đã trả lại kế hoạch cá nhân" in history


def test_a_unit_plans_history_uses_the_labels_of_its_audit_entries(world, login):
    plan = unit_plan_compile(
        scope=scope_for_user(world.users["principal_a1"]), unit=world.u("th_a1"), school_year=school_year_current()
    )
    r = login(world.users["principal_a1"]).get(reverse("plans:unit_plan", args=[plan.uuid]))
    assert "Đã tổng hợp kế hoạch của đơn vị" in r.text and "unit_plan.compile" not in r.text


def test_an_unknown_step_reads_as_its_code(world, pcat):
    plan = submitted_plan(world, pcat)
    event = PlanEvent.objects.create(plan=plan, action="plan.archive")
    assert event.label == "plan.archive"


# --- the migration of the old codes ---------------------------------------------------------------


def test_the_code_migration_is_applied():
    assert MigrationRecorder(connection).migration_qs.filter(app="plans", name=MIGRATION).exists()


def test_old_codes_are_rewritten_and_keep_their_labels_and_back(world, pcat):
    plan = submitted_plan(world, pcat)
    unit_plan = unit_plan_compile(
        scope=scope_for_user(world.users["principal_a1"]), unit=world.u("th_a1"), school_year=school_year_current()
    )
    PlanEvent.objects.all().delete()
    UnitPlanEvent.objects.all().delete()
    AuditLog.objects.all().delete()
    for old in codes.PLAN_EVENTS:
        PlanEvent.objects.create(plan=plan, action=old)
    for old in codes.UNIT_PLAN_EVENTS:
        UnitPlanEvent.objects.create(plan=unit_plan, action=old)
    for old in [*codes.AUDIT_ACTIONS, "plan.create", "plan.submit", "unit.create"]:
        AuditLog.objects.create(action=old, object_type="plans.personalplan")
    with translation.override("en"):
        assert AuditLog(action="plan.approved").action_label == "plan.approved"  # unknown before the migration

    codes.forwards(apps, None)

    assert list(PlanEvent.objects.values_list("action", flat=True)) == [
        "plan.create",
        "plan.submit",
        "plan.approve",
        "plan.return",
        "plan.reopen",
    ]
    assert list(UnitPlanEvent.objects.values_list("action", flat=True)) == [
        "unit_plan.compile",
        "unit_plan.submit",
        "unit_plan.approve",
        "unit_plan.return",
    ]
    stored = sorted(AuditLog.objects.values_list("action", flat=True))
    assert stored == sorted(
        [*codes.AUDIT_ACTIONS.values(), "plan.create", "plan.submit", "unit.create"]
    )  # entries of other codes stay
    with translation.override("vi"):
        labels = [(e.action, e.label) for e in [*PlanEvent.objects.all(), *UnitPlanEvent.objects.all()]]
        labels += [(e.action, e.action_label) for e in AuditLog.objects.all()]
    assert [code for code, label in labels if label == code] == []

    codes.backwards(apps, None)

    assert list(PlanEvent.objects.values_list("action", flat=True)) == list(codes.PLAN_EVENTS)
    assert list(UnitPlanEvent.objects.values_list("action", flat=True)) == list(codes.UNIT_PLAN_EVENTS)
    assert sorted(AuditLog.objects.values_list("action", flat=True)) == sorted(
        [*codes.AUDIT_ACTIONS, "plan.create", "plan.submit", "unit.create"]
    )
