"""Pages of the LMS exchange: a cohort's LMS page (account list to export, results file to import,
each learner's LMS progress and result) and the account list downloads.

Only the organisers (training.manage over the organiser) and the assessing institution exchange
with the LMS: a cohort outside the scope is a 404, inside without the right a 403.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from bdtx.core.exporters import xlsx_response
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm, Scope
from bdtx.imports.services import import_job_create
from bdtx.organisations.models import Unit, UnitKind
from bdtx.training import lms, selectors
from bdtx.training.importers import KEY
from bdtx.training.models import Cohort, Lms


class LmsUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("LMS results file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    check_only = forms.BooleanField(
        required=False, label=_("Only check the file; I will confirm the import afterwards")
    )


def _cohort(request: AuthenticatedHttpRequest, uuid: str) -> Cohort:
    """The cohort (404 outside the scope) whose LMS data the viewer exchanges (403 otherwise)."""
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    lms.lms_require_exchange(request.scope, cohort)
    return cohort


def cohort_lms(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The cohort's LMS page; POST uploads a results file to the shared import pipeline."""
    cohort = _cohort(request, uuid)
    form = LmsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # the job belongs to the unit the viewer acts for: the organiser, or the institution
        unit = cohort.organiser
        if not request.scope.has(Perm.TRAINING_MANAGE, unit.path) and cohort.institution is not None:
            unit = cohort.institution
        try:  # a .csv is kept as it is and read by the worker, as an .xlsx is
            job = import_job_create(
                scope=request.scope,
                kind=KEY,
                unit=unit,
                upload=upload,
                school_year=cohort.school_year,
                options={"cohort": cohort},
                check_only=form.cleaned_data["check_only"],
                language=get_language() or "",
            )
        except ValidationError as e:
            form.add_error("file", e)
        else:
            return redirect(job)
    page, base = paginate(request, lms.lms_learners(cohort=cohort))
    return render(
        request,
        "training/lms/cohort_lms.html",
        {
            "cohort": cohort,
            "form": form,
            "summary": lms.lms_summary(cohort=cohort),
            "page_obj": page,
            "querystring_base": base,
            "activity": lms.activity_id(cohort),
        },
    )


def accounts_export(request: AuthenticatedHttpRequest, uuid: str, fmt: str) -> HttpResponseBase:
    """The LMS account list of the cohort's enrolled learners, .xlsx or .csv (UTF-8 with BOM)."""
    cohort = _cohort(request, uuid)
    filename = f"lms-{cohort.uuid}"
    if fmt == "xlsx":
        return xlsx_response(lms.accounts_xlsx(cohort=cohort), f"{filename}.xlsx")
    if fmt != "csv":
        raise Http404
    response = StreamingHttpResponse(lms.accounts_csv(cohort=cohort), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# --- the LMSs that push results, and their tokens ------------------------------------------------

LMS_UNIT_KINDS = (UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.DISTRICT, UnitKind.COMMUNE)


class LmsForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), to_field_name="uuid", label=_("Serves the cohorts organised under")
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = (
            Unit.objects.visible_to(scope, Perm.TRAINING_MANAGE)
            .filter(kind__in=LMS_UNIT_KINDS, dissolved_on__isnull=True)
            .order_by("depth", "name")
        )
        self.set_queryset("unit", units)


def lms_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The LMSs registered for the organiser's area; registering one shows its token once."""
    if not request.scope.has_anywhere(Perm.TRAINING_MANAGE):
        raise PermissionDenied
    form = LmsForm(request.POST or None, scope=request.scope)
    if not form.fields["unit"].queryset.exists():  # type: ignore[attr-defined]
        raise PermissionDenied  # a school's staff: an LMS serves an office's area
    token = ""
    if request.method == "POST" and form.is_valid():
        _lms, token = lms.lms_create(
            scope=request.scope, unit=form.cleaned_data["unit"], name=form.cleaned_data["name"]
        )
        form = LmsForm(scope=request.scope)
    return _lms_list_page(request, form, token)


def _lms_list_page(
    request: AuthenticatedHttpRequest, form: LmsForm, token: str, shown: Lms | None = None
) -> HttpResponse:
    """The LMS list; `token` (just issued to `shown`, or to a new LMS) appears in this response only."""
    systems = list(lms.lms_systems(scope=request.scope))
    context = {"form": form, "token": token, "token_for": shown, "systems": systems}
    return render(request, "training/lms/lms_list.html", context)


# --- LMS administration: stop, restart, new token ------------------------------------------------


def _lms(request: AuthenticatedHttpRequest, uuid: str) -> Lms:
    """The LMS (404 outside the scope) the viewer manages (403 otherwise)."""
    system = get_in_scope_or_404(lms.lms_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.TRAINING_MANAGE, system.unit.path)
    return system


@require_POST
def lms_deactivate(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    system = lms.lms_deactivate(scope=request.scope, lms=_lms(request, uuid))
    messages.success(request, _("“%(n)s” is stopped: its token is refused until it is reactivated.") % {"n": system})
    return redirect("training:lms_list")


@require_POST
def lms_activate(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    system = lms.lms_activate(scope=request.scope, lms=_lms(request, uuid))
    messages.success(request, _("“%(n)s” is active again: its token is accepted.") % {"n": system})
    return redirect("training:lms_list")


@require_POST
def lms_rotate(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A new token for the LMS, shown in this response only (like registering one)."""
    system, token = lms.lms_rotate(scope=request.scope, lms=_lms(request, uuid))
    return _lms_list_page(request, LmsForm(scope=request.scope), token, shown=system)
