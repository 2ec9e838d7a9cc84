from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current, school_year_list
from bdtx.organisations.selectors import departments_managed, national_unit
from bdtx.regimes import selectors, services
from bdtx.regimes.forms import HoursShiftForm, RegimeCreateForm, RegimeForm
from bdtx.regimes.models import Regime


def _may_read(scope: Scope) -> None:
    if not (scope.has_anywhere(Perm.CATALOG_MANAGE) or scope.has_anywhere(Perm.CONTENT_MANAGE)):
        raise PermissionDenied


def _may_manage(scope: Scope) -> bool:
    unit = national_unit()
    return unit is not None and scope.has(Perm.CATALOG_MANAGE, unit.path)


def regime_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _may_read(request.scope)
    current = school_year_current().start_year
    return render(
        request,
        "regimes/regime_list.html",
        {"regimes": selectors.regime_list(), "current": current, "can_manage": _may_manage(request.scope)},
    )


def regime_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.regime_require_manage(request.scope)
    form = RegimeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        close_previous = data.pop("close_previous")
        try:
            services.regime_create(scope=request.scope, close_previous=close_previous, **data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("regimes:list")
    return render(request, "regimes/regime_form.html", {"form": form})


def regime_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    try:
        regime = selectors.regime_list().get(uuid=uuid)
    except Regime.DoesNotExist:
        raise Http404 from None
    services.regime_require_manage(request.scope)
    form = RegimeForm(request.POST or None, instance=regime)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        regime.refresh_from_db()  # the form wrote its values on the instance; the service compares
        try:
            services.regime_update(scope=request.scope, regime=regime, **changed)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("regimes:list")
    return render(request, "regimes/regime_form.html", {"form": form, "regime": regime})


def hours(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The split of programmes 01 and 02 for a year: a department sets its own; others with the right see it."""
    scope = request.scope
    if not scope.has_anywhere(Perm.CONTENT_MANAGE):
        raise PermissionDenied
    years = school_year_list()
    year = year_from_request(request)
    departments = departments_managed(scope=scope)
    regime = selectors.regime_for_year_or_none(year)
    shifts = {s.unit_id: s for s in selectors.hours_shift_list(scope=scope, school_year=year)}
    forms = []
    for unit in departments:
        shift = shifts.get(unit.pk)
        initial = {
            "bd01_hours": shift.bd01_hours if shift else regime.bd01_hours if regime else None,
            "bd02_hours": shift.bd02_hours if shift else regime.bd02_hours if regime else None,
            "decision": shift.decision if shift else "",
        }
        posted = request.method == "POST" and request.POST.get("unit") == str(unit.uuid)
        form = HoursShiftForm(request.POST if posted else None, initial=initial, prefix=str(unit.pk))
        if posted and form.is_valid():
            try:
                services.hours_shift_set(scope=scope, unit=unit, school_year=year, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Saved."))
                return redirect(f"{request.path}?year={year.pk}")
        forms.append((unit, shift, form))
    if request.method == "POST" and not any(u for u in departments if request.POST.get("unit") == str(u.uuid)):
        raise Http404
    return render(
        request,
        "regimes/hours.html",
        {
            "year": year,
            "years": years,
            "regime": regime,
            "forms": forms,
            "shifts": [s for s in shifts.values() if s.unit_id not in {u.pk for u in departments}],
        },
    )
