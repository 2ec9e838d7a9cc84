"""Writes for unit plans: compile, submit to the parent, approve or return.

A school compiles its plan from its approved personal plans, an office, a province or the
ministry from its children's approved unit plans (`unit_selectors.unit_plan_figures`). The unit's
own staff compile and submit; the parent in force that school year (or an authority above it)
approves or returns with a comment. Every step writes a `UnitPlanEvent` and an audit entry in the
same transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.plans.models import PlanStatus, UnitPlan, UnitPlanEvent
from bdtx.plans.notifications import unit_plan_decided
from bdtx.plans.unit.selectors import may_act_for, may_decide, parent_in_year, unit_plan_figures, unit_plan_is_stale

RECOMPILABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


def _record(*, scope: Scope, plan: UnitPlan, action: str, before: str, comment: str = "") -> None:
    UnitPlanEvent.objects.create(plan=plan, actor_id=scope.user_id, action=action, comment=comment)
    audit_record(
        actor_id=scope.user_id,
        action=action,
        obj=plan,
        unit_path=plan.unit.path,
        changes={"status": [before, plan.status]} if before != plan.status else {},
        note=comment,
    )


def _locked(plan: UnitPlan) -> UnitPlan:
    return UnitPlan.objects.select_for_update().select_related("unit", "school_year").get(pk=plan.pk)


@transaction.atomic
def unit_plan_compile(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> UnitPlan:
    """Compute and store the unit's figures for the year (creating its plan as a draft).

    Refused once submitted or approved: the parent must return it first.
    """
    if not may_act_for(scope=scope, unit=unit):
        raise PermissionDenied
    plan = UnitPlan.objects.select_for_update().filter(unit=unit, school_year=school_year).first()
    if plan is None:
        plan = UnitPlan.objects.create(unit=unit, school_year=school_year)
    if plan.status not in RECOMPILABLE:
        raise ValidationError(_("This plan has been submitted: it can be compiled again only after it is returned."))
    before = plan.status
    plan.figures = unit_plan_figures(unit=unit, school_year=school_year)
    plan.compiled_at = timezone.now()
    plan.save(update_fields=["totals", "compiled_at", "updated_at"])
    _record(scope=scope, plan=plan, action="unit_plan.compile", before=before)
    return plan


@transaction.atomic
def unit_plan_submit(*, scope: Scope, plan: UnitPlan, number: str = "", incomplete_ok: bool = False) -> UnitPlan:
    """Send the compiled plan to the parent in force that school year.

    A plan that leaves people (or units below) out goes up only when the sender says so knowingly
    (`incomplete_ok`), after seeing how many are in."""
    plan = _locked(plan)
    if not may_act_for(scope=scope, unit=plan.unit):
        raise PermissionDenied
    if plan.status not in RECOMPILABLE:
        raise ValidationError(_("This plan has already been submitted."))
    if plan.compiled_at is None:
        raise ValidationError(_("Compile the plan before submitting it."))
    if parent_in_year(unit=plan.unit, school_year=plan.school_year) is None:
        raise ValidationError(_("This unit has no higher level to submit its plan to."))
    if unit_plan_is_stale(plan):
        raise ValidationError(_("The approved plans below have changed since the plan was compiled: compile it again."))
    figures = plan.figures
    if not figures.complete and not incomplete_ok:
        done, of = figures.coverage
        if figures.units is not None:
            message = _(
                "Only %(done)s of the %(of)s units below have an approved plan: the plan leaves the others out. "
                "Tick “Submit it incomplete” to send it anyway."
            )
        else:
            message = _(
                "Only %(done)s of the %(of)s people in scope have an approved personal plan: the plan leaves the "
                "others out. Tick “Submit it incomplete” to send it anyway."
            )
        raise ValidationError(message % {"done": done, "of": of})
    before = plan.status
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.decided_at = None
    plan.decided_by = None
    if number.strip():
        plan.number = number.strip()
    plan.save(update_fields=["status", "submitted_at", "decided_at", "decided_by", "number", "updated_at"])
    _record(scope=scope, plan=plan, action="unit_plan.submit", before=before)
    return plan


def _decider_check(scope: Scope, plan: UnitPlan) -> None:
    if not may_decide(scope=scope, parent=parent_in_year(unit=plan.unit, school_year=plan.school_year)):
        raise PermissionDenied


@transaction.atomic
def unit_plan_approve(*, scope: Scope, plan: UnitPlan, comment: str = "") -> UnitPlan:
    """The parent accepts a submitted plan: its figures now count in the parent's plan."""
    plan = _locked(plan)
    _decider_check(scope, plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    before = plan.status
    plan.status = PlanStatus.APPROVED
    plan.decided_at = timezone.now()
    plan.decided_by_id = scope.user_id
    plan.comment = comment.strip()
    plan.save(update_fields=["status", "decided_at", "decided_by", "comment", "updated_at"])
    _record(scope=scope, plan=plan, action="unit_plan.approve", before=before, comment=plan.comment)
    unit_plan_decided(plan)
    return plan


@transaction.atomic
def unit_plan_return(*, scope: Scope, plan: UnitPlan, comment: str) -> UnitPlan:
    """The parent sends the plan back with a comment; the unit may compile and submit again.

    An approved plan can be reopened only while the parent's own plan is not submitted: the
    parent's figures include it.
    """
    plan = _locked(plan)
    _decider_check(scope, plan)
    if not comment.strip():
        raise ValidationError(_("Say what needs to change."))
    if plan.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        raise ValidationError(_("Only a submitted or approved plan can be returned."))
    if plan.status == PlanStatus.APPROVED:
        parent = parent_in_year(unit=plan.unit, school_year=plan.school_year)
        if UnitPlan.objects.filter(
            unit=parent, school_year=plan.school_year, status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED]
        ).exists():
            raise ValidationError(
                _("The higher level has already submitted a plan that includes this one: have it returned first.")
            )
    before = plan.status
    plan.status = PlanStatus.RETURNED
    plan.decided_at = timezone.now()
    plan.decided_by_id = scope.user_id
    plan.comment = comment.strip()
    plan.save(update_fields=["status", "decided_at", "decided_by", "comment", "updated_at"])
    _record(scope=scope, plan=plan, action="unit_plan.return", before=before, comment=plan.comment)
    unit_plan_decided(plan)
    return plan
