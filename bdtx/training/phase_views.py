"""The organiser enters a cohort's schedule by hand: add a phase, remove one (POST only; errors come
back as messages on the cohort page)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.training import phases
from bdtx.training.forms import PhaseForm
from bdtx.training.views import _managed


@require_POST
def phase_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    cohort = _managed(request, uuid)
    form = PhaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the kind of phase and its first and last day."))
    else:
        try:
            phases.phase_add(scope=request.scope, cohort=cohort, **form.cleaned_data)
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The phase is added to the schedule."))
    return redirect("training:detail", uuid=cohort.uuid)


@require_POST
def phase_remove(request: AuthenticatedHttpRequest, uuid: str, position: int) -> HttpResponse:
    cohort = _managed(request, uuid)
    phase = get_in_scope_or_404(phases.phase_get, cohort=cohort, position=position)
    phases.phase_remove(scope=request.scope, phase=phase)
    messages.success(request, _("The phase is removed from the schedule."))
    return redirect("training:detail", uuid=cohort.uuid)
