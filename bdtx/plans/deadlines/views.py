"""Pages of deadlines: the dates a unit sets for its subtree."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current, school_year_list
from bdtx.plans.deadlines import selectors as deadlines_selectors
from bdtx.plans.deadlines import services
from bdtx.plans.deadlines.forms import DeadlineForm
from bdtx.plans.models import Deadline, DeadlineKind


def deadline_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Deadlines in force at the viewer's units and the dates they and their subtree set."""
    request.scope.require(Perm.DEADLINES_MANAGE)
    units = deadlines_selectors.deadline_units(scope=request.scope)
    year = _deadline_year(request)
    choices = [(str(u.uuid), u.name) for u in units]
    kinds = [
        (k, label)
        for k, label in DeadlineKind.choices
        if any(deadlines_selectors.may_set_deadline(u, k) for u in units)
    ]
    form = DeadlineForm(request.POST or None, units=choices, kinds=kinds, initial={"kind": DeadlineKind.PERSONAL_PLAN})
    if request.method == "POST" and form.is_valid():
        unit = next((u for u in units if str(u.uuid) == form.cleaned_data["unit"]), None)
        if unit is None:
            raise Http404
        try:
            services.deadline_set(
                scope=request.scope,
                unit=unit,
                school_year=year,
                kind=form.cleaned_data["kind"],
                due_on=form.cleaned_data["due_on"],
                source=form.cleaned_data["source"],
            )
            messages.success(request, _("Deadline saved."))
            return redirect(f"{reverse('plans:deadlines')}?year={year.pk}")
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    for e in errs:
                        form.add_error(field if field in form.fields else None, e)
            else:
                form.add_error(None, exc)
    effective = [
        (u, [deadlines_selectors.deadline_for(unit=u, school_year=year, kind=k) for k in DeadlineKind.values])
        for u in units
    ]
    return render(
        request,
        "plans/deadlines.html",
        {
            "form": form,
            "year": year,
            "years": sorted(
                (y for y in school_year_list() if abs(y.pk - school_year_current().pk) <= 1), key=lambda y: y.pk
            ),
            "kinds": DeadlineKind.choices,
            "effective": effective,
            "rows": deadlines_selectors.deadlines_set_by(scope=request.scope, school_year=year),
        },
    )


def _deadline_year(request: AuthenticatedHttpRequest) -> SchoolYear:
    """Dates are set for this school year, the one before or the one after; any other is not found."""
    year = year_from_request(request)
    if abs(year.pk - school_year_current().pk) > 1:
        raise Http404
    return year


@require_POST
def deadline_delete(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    try:
        deadline = deadlines_selectors.deadline_get(scope=request.scope, uuid=uuid)
    except Deadline.DoesNotExist:
        raise Http404 from None
    request.scope.require(Perm.DEADLINES_MANAGE, deadline.unit.path)
    services.deadline_delete(scope=request.scope, deadline=deadline)
    messages.success(request, _("Deadline removed: the date set above applies again."))
    return redirect(f"{reverse('plans:deadlines')}?year={deadline.school_year_id}")
