"""Pages of the three-way completion: the cohort's completion page (which signal each learner still
lacks; the institution's mark; the lists sent to the managing offices), the office's lists to approve,
and the school's evidence that completed modules are applied in teaching."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core import uploads
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.training import completion as c
from bdtx.training.models import (
    Assessor,
    Cohort,
    CompletionList,
    CompletionListStatus,
    EvidenceKind,
    LmsSource,
    SignalSource,
)
from bdtx.training.views import _cohort

MISSING_CHOICES = [
    ("", gettext_lazy("Everyone")),
    ("lms", gettext_lazy("Not passed on the LMS")),
    ("mentor", gettext_lazy("Not passed by the core teacher")),
    ("institution", gettext_lazy("Not passed by the institution")),
    ("attendance", gettext_lazy("Attendance below the threshold")),
]


class MarkForm(forms.Form):
    enrolment = forms.UUIDField()
    passed = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    reason = forms.CharField(max_length=255, required=False)


PARTIES = [
    ("lms", gettext_lazy("LMS")),
    ("mentor", gettext_lazy("Core teacher")),
    ("institution", gettext_lazy("Training institution")),
]
SOURCE_LABELS = {**dict(LmsSource.choices), **dict(SignalSource.choices)}


def _with_cells(page: Any) -> list[Any]:
    """Each row's three signals as cells the template draws alike: (label, {party, passed, source, at})."""
    for e in page:
        e.cells = [
            (
                label,
                {
                    "party": party,
                    "passed": getattr(e, f"{party}_passed"),
                    "source": SOURCE_LABELS.get(getattr(e, f"{party}_source") or "", ""),
                    "at": getattr(e, f"{party}_at"),
                    "progress": e.lms_progress if party == "lms" else None,
                },
            )
            for party, label in PARTIES
        ]
    return [label for _p, label in PARTIES]


def _act(request: AuthenticatedHttpRequest, cohort: Cohort) -> None:
    """One of the completion page's actions; a refusal becomes a message on the page."""
    action = request.POST.get("action", "")
    scope = request.scope
    try:
        if action == "mark":
            form = MarkForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose passed or not passed."))
            # a learner of this cohort (which the viewer sees: an institution sees its cohorts' learners)
            enrolment = get_in_scope_or_404(c.cohort_enrolment_get, cohort=cohort, uuid=form.cleaned_data["enrolment"])
            c.completion_mark(
                scope=scope,
                enrolment=enrolment,
                party=Assessor.INSTITUTION,
                passed=form.cleaned_data["passed"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("%(name)s: the institution's mark is saved.") % {"name": enrolment.person})
        elif action == "from_scores":
            n = c.completion_mark_from_scores(scope=scope, cohort=cohort)
            messages.success(
                request, _("%(n)s learners whose scores reach the pass mark are marked passed.") % {"n": n}
            )
        elif action == "recompute":
            c.completion_recompute_cohort(scope=scope, cohort=cohort)
            messages.success(request, _("Completion is recomputed from the marks."))
        elif action == "send":
            lists = c.completion_lists_send(scope=scope, cohort=cohort)
            messages.success(
                request,
                _("The completion list is sent to: %(offices)s.") % {"offices": ", ".join(str(x.office) for x in lists)}
                if lists
                else _("Every list of this cohort is already approved."),
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)


def cohort_completion(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Each learner's three signals (with source and time) and attendance; who still lacks what."""
    cohort = _cohort(request, uuid)
    scope = request.scope
    manage = cohort.managed_by(scope)
    assess = c.can_mark_institution(scope, cohort)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if (action in ("mark", "from_scores") and not assess) or (action in ("recompute", "send") and not manage):
            raise PermissionDenied
        _act(request, cohort)
        return redirect(request.get_full_path())
    missing = request.GET.get("missing", "")
    if missing not in c.MISSING:
        missing = ""
    page, base = paginate(request, c.completion_rows(cohort=cohort, missing=missing))
    party_labels = _with_cells(page)
    return render(
        request,
        "training/completion/cohort.html",
        {
            "cohort": cohort,
            "summary": c.completion_summary(cohort=cohort),
            "lists": list(cohort.completion_lists.select_related("office").order_by("office__name")),
            "page_obj": page,
            "querystring_base": base,
            "party_labels": party_labels,
            "missing": missing,
            "missing_choices": MISSING_CHOICES,
            "manage": manage,
            "assess": assess,
        },
    )


def _list(request: AuthenticatedHttpRequest, uuid: str) -> CompletionList:
    lst = get_in_scope_or_404(c.completion_list_get, scope=request.scope, uuid=uuid)
    s = request.scope
    if not (s.has(Perm.TRAINING_APPROVE, lst.office.path) or s.has(Perm.TRAINING_VIEW, lst.cohort.organiser.path)):
        raise PermissionDenied
    return lst


def completion_lists(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The completion lists sent to the offices where the viewer approves, waiting ones first."""
    if not request.scope.has_anywhere(Perm.TRAINING_APPROVE):
        raise PermissionDenied
    year = year_from_request(request)
    page, base = paginate(request, c.completion_lists_for_office(scope=request.scope, school_year=year))
    return render(
        request,
        "training/completion/lists.html",
        {"page_obj": page, "querystring_base": base, "school_year": year},
    )


def completion_list(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """One cohort's list for one office: its learners' signals; the office approves or returns it."""
    lst = _list(request, uuid)
    approve = request.scope.has(Perm.TRAINING_APPROVE, lst.office.path)
    if request.method == "POST":
        if not approve:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "approve":
                c.completion_list_approve(scope=request.scope, completion_list=lst)
                messages.success(request, _("The completion list is approved and locked."))
            else:
                c.completion_list_return(
                    scope=request.scope, completion_list=lst, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The completion list is returned to the organiser."))
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
        return redirect("training:completion_list", uuid=lst.uuid)
    cohort = lst.cohort
    page, base = paginate(request, c.completion_rows(cohort=cohort, office=lst.office))
    party_labels = _with_cells(page)
    return render(
        request,
        "training/completion/list.html",
        {
            "lst": lst,
            "cohort": cohort,
            "summary": c.completion_summary(cohort=cohort, office=lst.office),
            "page_obj": page,
            "querystring_base": base,
            "party_labels": party_labels,
            "approve": approve and lst.status == CompletionListStatus.SUBMITTED,
        },
    )


# --- evidence of application ---------------------------------------------------------------------------------


class EvidenceForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=EvidenceKind.choices)
    observed_on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    upload = forms.FileField(label=gettext_lazy("File (optional)"), required=False)


def evidence_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The school's completed modules of the year and the evidence recorded that each is applied."""
    if not request.scope.has_anywhere(Perm.TRAINING_MANAGE):
        raise PermissionDenied
    year = year_from_request(request)
    page, base = paginate(request, c.evidence_enrolments(scope=request.scope, school_year=year))
    return render(
        request,
        "training/completion/evidence_list.html",
        {"page_obj": page, "querystring_base": base, "school_year": year},
    )


def evidence_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Record a lesson observation or a product for one completed module; its evidence so far."""
    enrolment = get_in_scope_or_404(c.evidence_enrolment_get, scope=request.scope, uuid=uuid)
    if not c.can_record_evidence(request.scope, enrolment):
        raise PermissionDenied
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            c.evidence_add(
                scope=request.scope,
                enrolment=enrolment,
                kind=form.cleaned_data["kind"],
                observed_on=form.cleaned_data["observed_on"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The evidence is recorded."))
            return redirect("training:evidence_add", uuid=enrolment.uuid)
    return render(
        request,
        "training/completion/evidence_form.html",
        {"enrolment": enrolment, "form": form, "evidence": list(enrolment.evidence.all())},
    )


def evidence_file(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    """An evidence file, for the learner and those who see their training records."""
    evidence = get_in_scope_or_404(c.evidence_get, scope=request.scope, uuid=uuid)
    s = request.scope
    if not (s.is_person(evidence.enrolment.person_id) or s.has(Perm.TRAINING_VIEW, evidence.enrolment.unit.path)):
        raise PermissionDenied
    if not evidence.file:
        raise Http404
    try:
        return uploads.file_response(evidence.file, filename=evidence.filename, allowed=uploads.EVIDENCE_TYPES)
    except OSError:  # the row names a file the storage no longer has
        raise Http404 from None
