"""Pages of personal plans: one's own plan, a plan to review, the reviewers' list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.catalog.models import Module
from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.organisations.filters import list_context_from_request
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import units_holding
from bdtx.people.models import Person
from bdtx.plans.deadlines import selectors as deadlines_selectors
from bdtx.plans.models import DeadlineKind, PersonalPlan, PlanStatus
from bdtx.plans.panels import plan_panels
from bdtx.plans.personal import selectors as personal_selectors
from bdtx.plans.personal import services as personal_services
from bdtx.plans.personal.forms import DecisionForm, ModuleAddForm, PlanFilterForm, PlanItemForm
from bdtx.plans.personal.recommend import recommend_modules
from bdtx.regimes.models import Regime


def _errors(request: AuthenticatedHttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _me(request: AuthenticatedHttpRequest) -> Person:
    """The signed-in person; an account without a staff record has no plan (403)."""
    person_id = request.scope.person_id
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise PermissionDenied
    return person


def _get_plan(request: AuthenticatedHttpRequest, uuid: str) -> tuple[PersonalPlan, bool]:
    """A plan in the viewer's scope (404 outside), and whether it is the viewer's own."""
    try:
        plan = personal_selectors.plan_get(scope=request.scope, uuid=uuid)
    except PersonalPlan.DoesNotExist:
        raise Http404 from None
    is_owner = plan.person_id == request.scope.person_id
    if not is_owner:
        request.scope.require(Perm.PLANS_VIEW, plan.unit.path)
    return plan, is_owner


def _plan_context(request: AuthenticatedHttpRequest, plan: PersonalPlan, is_owner: bool) -> dict:
    items = personal_selectors.plan_items(plan=plan)
    try:
        required = personal_selectors.plan_required_hours(plan=plan)
    except Regime.DoesNotExist:
        required = None
    editable = is_owner and plan.status in personal_services.EDITABLE
    in_plan = {i.module_id for i in items if i.module_id}
    deadline = deadlines_selectors.deadline_for(
        unit=plan.unit, school_year=plan.school_year, kind=DeadlineKind.PERSONAL_PLAN
    )
    decided_on = plan.decided_at.date() if plan.decided_at and plan.status == PlanStatus.APPROVED else None
    ctx = {
        "plan": plan,
        "items": [(i, PlanItemForm(initial=_item_initial(i), prefix=f"i{i.pk}")) for i in items],
        "hours": personal_selectors.plan_hours(items=items, required=required) if required else [],
        "required": required,
        "events": personal_selectors.plan_events(plan=plan),
        "is_owner": is_owner,
        "editable": editable,
        "can_decide": not is_owner and request.scope.has(Perm.PLANS_APPROVE, plan.unit.path),
        "decider_unit": _decider_unit(request, plan),
        "decision_form": DecisionForm(),
        "deadline": deadline,
        "late": deadline.is_late(done_on=decided_on) if deadline else False,
        "panels": plan_panels(plan),
    }
    if editable:
        ctx["problems"] = personal_selectors.plan_problems(plan=plan, items=items) if required else []
        ctx["recommendations"] = recommend_modules(
            person=plan.person, school_year=plan.school_year, chosen=[i.module for i in items if i.module]
        )
        ctx["add_form"] = ModuleAddForm(initial={"form": "ban_tap_trung"})
        ctx.update(_search_context(request, plan, in_plan))
    return ctx


def _decider_unit(request: AuthenticatedHttpRequest, plan: PersonalPlan) -> Unit | None:
    """The unit in whose name the viewer decides on this plan: the nearest one above (or at) the
    plan's school where they hold the approval right (the school, or the commune for its principal)."""
    units = units_holding(scope=request.scope, permission=Perm.PLANS_APPROVE)
    over = [u for u in units if plan.unit.path.startswith(u.path)]
    return max(over, key=lambda u: len(u.path), default=None)


def _item_initial(item) -> dict:
    return {"form": item.form, "start_month": item.start_month, "end_month": item.end_month}


def _search_context(request: AuthenticatedHttpRequest, plan: PersonalPlan, in_plan: set[int]) -> dict:
    emp = personal_selectors.employment_for(person=plan.person, school_year=plan.school_year)
    q = request.GET.get("q", "").strip()
    results = personal_selectors.module_search(employment=emp, school_year=plan.school_year, q=q) if emp and q else []
    done = (
        personal_selectors.modules_done_before(person=plan.person, school_year=plan.school_year) if results else set()
    )
    return {"q": q, "results": [(m, m.pk in in_plan, m.pk in done) for m in results], "plan": plan}


def _year_param(request: AuthenticatedHttpRequest) -> SchoolYear:
    """The school year of 'my plan': this one, or the next one (plans are made before the year)."""
    current = school_year_current()
    year = year_from_request(request)
    if year not in (current, current.next):
        raise Http404
    return year


def my_plan(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _me(request)
    year = _year_param(request)
    plan = personal_selectors.plan_for(person=person, school_year=year)
    current = school_year_current()
    ctx: dict = {"year": year, "years": [(y.pk, y.label) for y in (current, current.next)]}
    if plan is not None:
        ctx |= _plan_context(request, plan, is_owner=True)
    else:
        emp = personal_selectors.employment_for(person=person, school_year=year) or personal_selectors.employment_for(
            person=person, school_year=current
        )
        ctx["employment"] = personal_selectors.employment_for(person=person, school_year=year)
        ctx["recommendations"] = recommend_modules(person=person, school_year=year)
        ctx["deadline"] = (
            deadlines_selectors.deadline_for(unit=emp.unit, school_year=year, kind=DeadlineKind.PERSONAL_PLAN)
            if emp
            else None
        )
    return render(request, "plans/plan_detail.html", ctx)


@require_POST
def my_plan_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    person = _me(request)
    year = _year_param(request)
    try:
        personal_services.plan_start(scope=request.scope, person=person, school_year=year)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(f"{reverse('plans:mine')}?year={year.pk}")


def _back(plan: PersonalPlan, is_owner: bool) -> HttpResponse:
    if is_owner:
        return redirect(f"{reverse('plans:mine')}?year={plan.school_year_id}")
    return redirect("plans:detail", uuid=plan.uuid)


def plan_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    plan, is_owner = _get_plan(request, uuid)
    return render(
        request, "plans/plan_detail.html", {"year": plan.school_year, **_plan_context(request, plan, is_owner)}
    )


def plan_modules(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Catalog search results for the plan (htmx partial)."""
    plan, is_owner = _get_plan(request, uuid)
    if not is_owner:
        raise PermissionDenied
    in_plan = set(plan.items.filter(module__isnull=False).values_list("module_id", flat=True))
    ctx = _search_context(request, plan, in_plan)
    return render(
        request, "plans/_module_search.html", {**ctx, "add_form": ModuleAddForm(initial={"form": "ban_tap_trung"})}
    )


@require_POST
def plan_module_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    plan, is_owner = _get_plan(request, uuid)
    if not is_owner:
        raise PermissionDenied
    form = ModuleAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a module and a form of training."))
        return _back(plan, is_owner)
    module = Module.objects.filter(uuid=form.cleaned_data["module"]).first()
    if module is None:
        raise Http404
    try:
        personal_services.plan_module_add(
            scope=request.scope,
            plan=plan,
            module=module,
            form=form.cleaned_data["form"],
            start_month=form.cleaned_data["start_month"],
            end_month=form.cleaned_data["end_month"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Module %(code)s added to your plan.") % {"code": module.code})
    except ValidationError as exc:
        _errors(request, exc)
    return _back(plan, is_owner)


def _item(plan: PersonalPlan, request: AuthenticatedHttpRequest):
    try:
        return plan.items.get(pk=int(request.POST.get("item", "")))
    except (ValueError, plan.items.model.DoesNotExist):
        raise Http404 from None


@require_POST
def plan_item_update(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    plan, is_owner = _get_plan(request, uuid)
    if not is_owner:
        raise PermissionDenied
    item = _item(plan, request)
    form = PlanItemForm(request.POST, prefix=f"i{item.pk}")
    if form.is_valid():
        try:
            personal_services.plan_item_update(scope=request.scope, plan=plan, item=item, **form.cleaned_data)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    return _back(plan, is_owner)


@require_POST
def plan_item_remove(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    plan, is_owner = _get_plan(request, uuid)
    if not is_owner:
        raise PermissionDenied
    try:
        personal_services.plan_item_remove(scope=request.scope, plan=plan, item=_item(plan, request))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(plan, is_owner)


@require_POST
def plan_submit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    plan, is_owner = _get_plan(request, uuid)
    if not is_owner:
        raise PermissionDenied
    try:
        personal_services.plan_submit(scope=request.scope, plan=plan)
        messages.success(request, _("Your plan was sent to your school for approval."))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(plan, is_owner)


DECISIONS = {
    "approve": personal_services.plan_approve,
    "return": personal_services.plan_return,
    "reopen": personal_services.plan_reopen,
}


@require_POST
def plan_decide(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The school approves, returns or reopens a plan."""
    plan, _owner = _get_plan(request, uuid)
    request.scope.require(Perm.PLANS_APPROVE, plan.unit.path)
    action = DECISIONS.get(request.POST.get("action", ""))
    form = DecisionForm(request.POST)
    if action is None or not form.is_valid():
        messages.error(request, _("Choose approve, return or reopen."))
        return redirect("plans:detail", uuid=plan.uuid)
    try:
        action(scope=request.scope, plan=plan, comment=form.cleaned_data["comment"])
        messages.success(request, _("Decision recorded."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("plans:detail", uuid=plan.uuid)


def _filter(request: AuthenticatedHttpRequest) -> tuple[PlanFilterForm, personal_selectors.PlanFilter, str]:
    lc = list_context_from_request(request)
    form = PlanFilterForm(lc.params, years=lc.years, units=lc.units)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    f = personal_selectors.PlanFilter(
        school_year=lc.school_year,
        unit=lc.unit,
        status=data.get("status") or "",
        late=data.get("late") == "1",
        q=data.get("q") or "",
    )
    return form, f, data.get("group") or ""


def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Personal plans of a school year in the reviewer's scope, with who has none yet."""
    request.scope.require(Perm.PLANS_VIEW)
    form, f, group = _filter(request)
    rows = personal_selectors.personal_plan_by_unit(scope=request.scope, f=f) if group == "unit" else None
    page, base = paginate(
        request, rows if rows is not None else personal_selectors.personal_plan_list(scope=request.scope, f=f)
    )
    if rows is None:
        personal_selectors.label_statuses(page)
    template = "plans/_plan_table.html" if request.htmx else "plans/plan_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "filter": f,
            "group": group,
            "page_obj": page,
            "querystring_base": base,
            "can_deadlines": request.scope.has_anywhere(Perm.DEADLINES_MANAGE),
            "counts": personal_selectors.personal_plan_counts(
                scope=request.scope, school_year=f.school_year, unit=f.unit
            ),
            "deadline": deadlines_selectors.deadline_for(
                unit=f.unit, school_year=f.school_year, kind=DeadlineKind.PERSONAL_PLAN
            )
            if f.unit
            else None,
        },
    )
