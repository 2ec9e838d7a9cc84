"""Unit plans: the status board of a level, a unit's plan with its actions, and its documents."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_get
from bdtx.plans.models import PlanStatus, UnitPlan
from bdtx.plans.unit import documents as unit_documents
from bdtx.plans.unit import selectors as unit_selectors
from bdtx.plans.unit import services as svc
from bdtx.plans.unit.forms import UnitPlanDecisionForm, UnitPlanSubmitForm


def _unit(request: AuthenticatedHttpRequest, uuid: object) -> Unit:
    """A unit in the viewer's scope (404 outside) where they may see plans (403 otherwise)."""
    try:
        unit = unit_get(scope=request.scope, uuid=str(uuid))
    except (Unit.DoesNotExist, ValidationError):
        raise Http404 from None
    request.scope.require(Perm.PLANS_VIEW, unit.path)
    return unit


def _plan(request: AuthenticatedHttpRequest, uuid: object) -> UnitPlan:
    try:
        plan = unit_selectors.unit_plan_get(scope=request.scope, uuid=str(uuid))
    except UnitPlan.DoesNotExist:
        raise Http404 from None
    request.scope.require(Perm.PLANS_VIEW, plan.unit.path)
    return plan


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = (
        _unit(request, raw)
        if (raw := request.GET.get("unit"))
        else unit_selectors.board_default_unit(scope=request.scope)
    )
    if unit is None:
        raise PermissionDenied
    year = year_from_request(request)
    status = request.GET.get("status", "")
    data = unit_selectors.board_get(scope=request.scope, unit=unit, school_year=year, status=status)
    return render(
        request,
        "plans/unit/board.html",
        {
            "board": data,
            "years": school_year_list(),
            "can_act": unit_selectors.may_act_for(scope=request.scope, unit=unit),
            "can_decide": unit_selectors.may_decide(scope=request.scope, parent=unit),
            "has_children": not unit_selectors.is_school_like(unit),
            "statuses": [
                (code, label, data.counts.by_status()[code])
                for code, label in (*PlanStatus.choices, (unit_selectors.MISSING, _("No plan yet")))
            ],
        },
    )


def unit_plan_detail(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    plan = _plan(request, uuid)
    parent = unit_selectors.parent_in_year(unit=plan.unit, school_year=plan.school_year)
    can_act = unit_selectors.may_act_for(scope=request.scope, unit=plan.unit)
    return render(
        request,
        "plans/unit/plan_detail.html",
        {
            "plan": plan,
            "parent": parent,
            "parent_visible": parent is not None and request.scope.has(Perm.PLANS_VIEW, parent.path),
            "figures": unit_selectors.figures_view(plan.figures),
            "coverage": plan.figures.coverage,
            "complete": plan.figures.complete,
            "per_unit": plan.figures.units is not None,
            "events": unit_selectors.unit_plan_events(plan),
            "can_act": can_act,
            "can_decide": unit_selectors.may_decide(scope=request.scope, parent=parent),
            "stale": can_act and plan.status in svc.RECOMPILABLE and unit_selectors.unit_plan_is_stale(plan),
            "sensitive": request.scope.sees_sensitive(plan.unit.path),
            "submit_form": UnitPlanSubmitForm(initial={"number": plan.number}),
            "decision_form": UnitPlanDecisionForm(),
            "has_children": not unit_selectors.is_school_like(plan.unit),
        },
    )


def unit_plan_of(request: AuthenticatedHttpRequest, uuid: object, year: int) -> HttpResponse:
    """A unit's plan of a year; before it is compiled, a page that offers to compile it."""
    unit = _unit(request, uuid)
    school_year = get_object_or_404(SchoolYear, pk=year)
    if plan := unit_selectors.unit_plan_find(unit=unit, school_year=school_year):
        return redirect("plans:unit_plan", plan.uuid)
    return render(
        request,
        "plans/unit/plan_missing.html",
        {
            "unit": unit,
            "school_year": school_year,
            "can_act": unit_selectors.may_act_for(scope=request.scope, unit=unit),
            "has_children": not unit_selectors.is_school_like(unit),
        },
    )


@require_POST
def unit_plan_compile(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    unit = _unit(request, uuid)
    school_year = year_from_request(request)
    try:
        plan = svc.unit_plan_compile(scope=request.scope, unit=unit, school_year=school_year)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("plans:unit_plan_of", unit.uuid, school_year.pk)
    messages.success(request, _("The plan has been compiled from the latest approved figures."))
    return redirect("plans:unit_plan", plan.uuid)


@require_POST
def unit_plan_submit(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    plan = _plan(request, uuid)
    form = UnitPlanSubmitForm(request.POST)
    if not form.is_valid():
        _errors(request, ValidationError(list(form.errors.get("number", []))))
        return redirect("plans:unit_plan", plan.uuid)
    try:
        svc.unit_plan_submit(
            scope=request.scope,
            plan=plan,
            number=form.cleaned_data["number"],
            incomplete_ok=form.cleaned_data["incomplete_ok"],
        )
        messages.success(request, _("The plan has been submitted."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("plans:unit_plan", plan.uuid)


@require_POST
def unit_plan_decide(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    plan = _plan(request, uuid)
    form = UnitPlanDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or return the plan."))
        return redirect("plans:unit_plan", plan.uuid)
    comment = form.cleaned_data["comment"]
    try:
        if form.cleaned_data["decision"] == "approve":
            svc.unit_plan_approve(scope=request.scope, plan=plan, comment=comment)
            messages.success(request, _("The plan has been approved."))
        else:
            svc.unit_plan_return(scope=request.scope, plan=plan, comment=comment)
            messages.success(request, _("The plan has been returned with your comment."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("plans:unit_plan", plan.uuid)


def unit_plan_docx(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    plan = _plan(request, uuid)
    if plan.compiled_at is None:
        raise Http404
    content = unit_documents.unit_plan_docx(plan=plan)
    return unit_documents.docx_response(content, unit_documents.unit_plan_filename(plan))


def unit_participants_xlsx(request: AuthenticatedHttpRequest, uuid: object) -> HttpResponse:
    """Seed 003's lists (biểu 1, biểu 2): who takes which module, for the unit's subtree."""
    unit = _unit(request, uuid)
    school_year = year_from_request(request)
    module = request.GET.get("module", "")
    try:
        module = str(UUID(module)) if module else ""
    except ValueError:
        raise Http404 from None
    sensitive = request.scope.sees_sensitive(unit.path)
    content, count = unit_documents.participants_xlsx(
        unit=unit, school_year=school_year, module_uuid=module, sensitive=sensitive
    )
    if sensitive:
        unit_documents.participants_sensitive_logged(actor_id=request.user.pk, unit=unit, count=count)
    return unit_documents.xlsx_response(content, unit_documents.participants_filename(unit, school_year))
