"""Pages of the year results: a school's results (compute, propose), the authority's schools waiting
for recognition (recognise, return), and one result with its correction and history."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_get
from bdtx.results import selectors as s
from bdtx.results import services
from bdtx.results.compute import results_compute
from bdtx.results.models import ResultStatus, YearResult


def _years() -> list[tuple[int, str]]:
    return [(y.pk, y.label) for y in school_year_list()]


def _may_view(request: AuthenticatedHttpRequest, unit: Unit) -> bool:
    return request.scope.has(Perm.PLANS_APPROVE, unit.path) or request.scope.has(Perm.RESULTS_RECOGNISE, unit.path)


def _act(request: AuthenticatedHttpRequest, unit: Unit) -> None:
    """One of the school page's buttons; a refusal (ValidationError) becomes a message."""
    year = year_from_request(request)
    action = request.POST.get("action", "")
    scope = request.scope
    try:
        if action == "compute":
            summary = results_compute(scope=scope, unit=unit, school_year=year)
            messages.success(
                request,
                _("Results computed: %(people)s people, %(completed)s completed, %(kept)s recognised kept.")
                % {"people": summary.people, "completed": summary.completed, "kept": summary.kept},
            )
        elif action == "propose":
            n = services.results_propose(scope=scope, school=unit, school_year=year)
            messages.success(request, _("%(n)s results are proposed for recognition.") % {"n": n})
        elif action == "recognise":
            n = services.results_recognise(scope=scope, school=unit, school_year=year)
            messages.success(request, _("%(n)s results are recognised.") % {"n": n})
        elif action == "return":
            n = services.results_return(
                scope=scope, school=unit, school_year=year, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("%(n)s results are returned to the school.") % {"n": n})
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)


def _results_page(request: AuthenticatedHttpRequest, unit: Unit) -> HttpResponse:
    if not _may_view(request, unit):
        raise PermissionDenied
    if request.method == "POST":
        _act(request, unit)
        # back to the list without its status filter and page: an action moves the results out of the
        # status being looked at ("proposed" after recognising would show an empty list)
        kept = request.GET.copy()
        for key in ("status", "page"):
            kept.pop(key, None)
        return redirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
    year = year_from_request(request)
    status = request.GET.get("status", "")
    status = status if status in ResultStatus.values else ""
    category = request.GET.get("category", "")[:32]
    summary = s.results_summary(unit=unit, school_year=year)
    page, base = paginate(request, s.results_of_unit(unit=unit, school_year=year, status=status, category=category))
    recogniser = s.recogniser_of(school=unit, school_year=year) if unit.is_school_like else None
    scope = request.scope
    return render(
        request,
        "results/school.html",
        {
            "unit": unit,
            "school_year": year,
            "years": _years(),
            "summary": summary,
            "page_obj": page,
            "querystring_base": base,
            "status": status,
            "category": category,
            "status_choices": ResultStatus.choices,
            "recogniser": recogniser,
            "can_compute": scope.has(Perm.PLANS_APPROVE, unit.path),
            "can_propose": unit.is_school_like and scope.has(Perm.PLANS_APPROVE, unit.path),
            "can_recognise": unit.is_school_like and s.may_recognise(scope, recogniser),
        },
    )


def school_results_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The results of the unit named by `?unit=`, or of the viewer's own school (or office)."""
    if not (request.scope.has_anywhere(Perm.PLANS_APPROVE) or request.scope.has_anywhere(Perm.RESULTS_RECOGNISE)):
        raise PermissionDenied
    raw = request.GET.get("unit")
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=raw) if raw else s.home_unit(scope=request.scope)
    if unit is None:
        raise PermissionDenied
    return _results_page(request, unit)


def school_results(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A school's (or a unit's subtree's) year results: summary, list, compute, propose, recognise."""
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=uuid)
    return _results_page(request, unit)


def recognition_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The schools whose results wait for the viewer's recognition, waiting ones first."""
    if not request.scope.has_anywhere(Perm.RESULTS_RECOGNISE):
        raise PermissionDenied
    year = year_from_request(request)
    rows = s.schools_for_recognition(scope=request.scope, school_year=year)
    return render(request, "results/recognise.html", {"rows": rows, "school_year": year, "years": _years()})


class CorrectForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Result"))
    reason = forms.CharField(
        label=gettext_lazy("Reason for the correction"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, result: YearResult, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (c.get("code"), c.get("label")) for c in result.regime.result_categories or []
        ]
        self.fields["category"].initial = result.category


def result_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """One person's result: how it was reached, its history, and the authority's correction form."""
    result = get_in_scope_or_404(s.result_get, scope=request.scope, uuid=uuid)
    scope = request.scope
    path = result.unit.path
    if not (
        scope.is_person(result.person_id) or scope.has(Perm.PLANS_VIEW, path) or scope.has(Perm.RESULTS_RECOGNISE, path)
    ):
        raise PermissionDenied
    can_correct = (
        result.status == ResultStatus.RECOGNISED
        and result.recognised_unit is not None
        and scope.has(Perm.RESULTS_RECOGNISE, result.recognised_unit.path)
    )
    form = CorrectForm(request.POST or None, result=result)
    if request.method == "POST":
        if not can_correct:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.result_correct(
                    scope=scope,
                    result=result,
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("The recognised result is corrected."))
                return redirect("results:detail", uuid=result.uuid)
    return render(
        request,
        "results/detail.html",
        {
            "result": result,
            "form": form if can_correct else None,
            "history": list(s.result_history(result=result)),
            "may_open_school": scope.has(Perm.PLANS_APPROVE, path) or scope.has(Perm.RESULTS_RECOGNISE, path),
        },
    )
