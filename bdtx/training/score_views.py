"""Pages of scores: a cohort's score sheet (bảng điểm) — its components, and the grid of learners ×
components saved row by row —, the scores import and its pre-filled template, and a learner's
practice work (bài thu hoạch): handed in by the learner, graded by their core teacher, its files
served only through the scope check.

A cohort outside the scope is a 404; inside, seeing the sheet needs TRAINING_VIEW over the organiser
or the assessing institution, entering scores TRAINING_ASSESS there, changing components
TRAINING_MANAGE over the organiser (403 otherwise).
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core import uploads
from bdtx.core.exporters import xlsx_response
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.imports.services import import_job_create
from bdtx.training import scores, selectors
from bdtx.training.importers import SCORES_KEY
from bdtx.training.models import AssessmentComponent, Assessor, Cohort, ComponentKind, Enrolment, EnrolmentStatus

PRACTICE_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg,.doc,.xls,.ppt"  # a hint; the content decides


class ComponentForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ComponentKind.choices)
    assessed_by = forms.ChoiceField(label=gettext_lazy("Assessed by"), choices=Assessor.choices)


class ScoresUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Scores file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
    check_only = forms.BooleanField(
        required=False, label=gettext_lazy("Only check the file; I will confirm the import afterwards")
    )


class PracticeForm(BootstrapFormMixin, forms.Form):
    component = forms.ModelChoiceField(
        queryset=AssessmentComponent.objects.none(), label=gettext_lazy("For"), empty_label=None
    )
    file = forms.FileField(
        label=gettext_lazy("Your practice work (PDF, Word, Excel, PowerPoint, picture)"),
        widget=forms.ClearableFileInput(attrs={"accept": PRACTICE_ACCEPT}),
    )
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=500, required=False)

    def __init__(self, *args: Any, components: list[AssessmentComponent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset("component", AssessmentComponent.objects.filter(pk__in=[c.pk for c in components]))


class GradeForm(BootstrapFormMixin, forms.Form):
    score = forms.CharField(
        label=gettext_lazy("Score (0–10)"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the learner"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    reason = forms.CharField(label=gettext_lazy("Reason for the correction"), max_length=255, required=False)


# --- the score sheet ------------------------------------------------------------------------------


def _cohort(request: AuthenticatedHttpRequest, uuid: str) -> Cohort:
    """The cohort (404 outside the scope) whose scores the viewer sees (403 otherwise)."""
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    if not scores.can_view_scores(request.scope, cohort):
        raise PermissionDenied
    return cohort


def _assessed(request: AuthenticatedHttpRequest, uuid: str) -> Cohort:
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    if not scores.can_assess(request.scope, cohort):
        raise PermissionDenied
    return cohort


def cohort_scores(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The cohort's score sheet: its components and the grid (a page of learners × components), the
    scores under the pass mark marked. An assessor saves one row at a time (POST, htmx or not)."""
    cohort = _cohort(request, uuid)
    edit = scores.can_assess(request.scope, cohort)
    components = scores.component_list(cohort=cohort)
    pass_mark = scores.pass_mark_for(cohort)
    if request.method == "POST":
        if not edit:
            raise PermissionDenied
        return _save_row(request, cohort, components, pass_mark)
    page, base = paginate(request, scores.grid_learners(cohort=cohort))
    rows = scores.grid_rows(enrolments=list(page), components=components, pass_mark=pass_mark, edit=edit)
    manage = scores.can_manage_components(request.scope, cohort)
    return render(
        request,
        "training/scores/grid.html",
        {
            "cohort": cohort,
            "components": components,
            "rows": rows,
            "edit": edit,
            "manage": manage,
            "pass_mark": pass_mark,
            "page_obj": page,
            "querystring_base": base,
            "component_form": ComponentForm() if manage else None,
            "upload_form": ScoresUploadForm() if edit else None,
        },
    )


def _save_row(
    request: AuthenticatedHttpRequest, cohort: Cohort, components: list[AssessmentComponent], pass_mark: Any
) -> HttpResponse:
    back = reverse("training:scores", kwargs={"uuid": cohort.uuid})
    if request.GET.get("page"):
        back += f"?page={request.GET['page']}"
    raw = request.POST.get("enrolment", "")
    enrolment = scores.grid_learners(cohort=cohort).filter(uuid=raw).first() if raw and len(raw) <= 36 else None
    if enrolment is None:
        raise Http404
    typed = {c: request.POST[c_name] for c in components if (c_name := f"c{c.pk}") in request.POST}
    typed = {c: v for c, v in typed.items() if c.assessed_by != Assessor.LMS}
    errors: list[str] = []
    changed = 0
    try:
        changed = scores.scores_set_row(
            scope=request.scope, enrolment=enrolment, values=typed, reason=request.POST.get("reason", "")
        )
    except ValidationError as e:
        errors = e.messages
    if not request.htmx:
        if errors:
            messages.error(request, " ".join(errors))
        else:
            messages.success(request, _("Scores of %(name)s are saved.") % {"name": enrolment.person.full_name})
        return redirect(back)
    fresh = scores.grid_learners(cohort=cohort).get(pk=enrolment.pk)
    row = scores.grid_rows(enrolments=[fresh], components=components, pass_mark=pass_mark, edit=True)[0]
    row.errors = errors
    # The row's status, and (out of band) the cells whose value was saved: the cell the focus moved to
    # is left alone, so what is being typed there is kept.
    saved = {c.pk for c, _v in typed.items()} if changed else set()
    return render(
        request,
        "training/scores/_saved.html",
        {"row": row, "cohort": cohort, "saved": changed, "cells": [c for c in row.cells if c.component.pk in saved]},
    )


@require_POST
def score_components(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The organiser adds a component, or removes one (`remove=<id>`) that has no scores."""
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    if not cohort.managed_by(request.scope):
        raise PermissionDenied
    try:
        if raw := request.POST.get("remove", ""):
            if not raw.isdigit():
                raise Http404
            component = get_in_scope_or_404(scores.component_get, cohort=cohort, pk=int(raw))
            scores.component_remove(scope=request.scope, component=component)
            messages.success(request, _("“%(name)s” is removed.") % {"name": component.name})
        else:
            form = ComponentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the component a name, its kind and who assesses it."))
            c = scores.component_add(scope=request.scope, cohort=cohort, **form.cleaned_data)
            messages.success(request, _("“%(name)s” is added.") % {"name": c.name})
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("training:scores", uuid=cohort.uuid)


@require_POST
def scores_import(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Upload a scores file to the shared import pipeline (checked, then written or confirmed)."""
    cohort = _assessed(request, uuid)
    form = ScoresUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the .xlsx file of scores."))
        return redirect("training:scores", uuid=cohort.uuid)
    # the job belongs to the unit the viewer assesses for: the organiser, or the institution
    unit = cohort.organiser
    if not request.scope.has(Perm.TRAINING_ASSESS, unit.path) and cohort.institution is not None:
        unit = cohort.institution
    try:
        job = import_job_create(
            scope=request.scope,
            kind=SCORES_KEY,
            unit=unit,
            upload=form.cleaned_data["file"],
            school_year=cohort.school_year,
            options={"cohort": cohort},
            check_only=form.cleaned_data["check_only"],
            language=get_language() or "",
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("training:scores", uuid=cohort.uuid)
    return redirect(job)


def scores_template(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The .xlsx to fill in: the cohort's learners, one column per component the LMS does not score."""
    cohort = _assessed(request, uuid)
    return xlsx_response(scores.scores_template_xlsx(cohort=cohort), f"bang-diem-{cohort.uuid}.xlsx")


# --- practice work --------------------------------------------------------------------------------


def _practice_enrolment(request: AuthenticatedHttpRequest, uuid: str) -> Enrolment:
    enrolment = get_in_scope_or_404(scores.practice_enrolment_get, scope=request.scope, uuid=uuid)
    if not scores.can_see_practice(request.scope, enrolment):
        raise PermissionDenied
    return enrolment


def practice(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A learner's practice work: the learner hands work in (POST with a file), their core teacher
    grades the latest submission (POST `grade`); both, and those who see the cohort, read it."""
    enrolment = _practice_enrolment(request, uuid)
    scope = request.scope
    own = scope.acts_for(enrolment.person_id) and enrolment.status == EnrolmentStatus.ENROLLED
    mentor = scores.is_mentor_of(scope, enrolment)
    components = scores.practice_components(cohort=enrolment.cohort)
    upload_form = PracticeForm(components=components) if own and components else None
    grade_form = GradeForm() if mentor else None
    if request.method == "POST":
        if "grade" in request.POST:
            if not mentor:
                raise PermissionDenied
            grade_form = GradeForm(request.POST)
            if grade_form.is_valid() and _grade(request, enrolment, grade_form):
                return redirect("training:practice", uuid=enrolment.uuid)
        else:
            if upload_form is None:
                raise PermissionDenied
            upload_form = PracticeForm(request.POST, request.FILES, components=components)
            if upload_form.is_valid():
                d = upload_form.cleaned_data
                try:
                    scores.practice_submit(
                        scope=scope, enrolment=enrolment, component=d["component"], upload=d["file"], note=d["note"]
                    )
                except ValidationError as e:
                    upload_form.add_error("file", e)
                else:
                    messages.success(request, _("Your practice work is handed in."))
                    return redirect("training:practice", uuid=enrolment.uuid)
    works = scores.practice_list(enrolment=enrolment)
    latest = scores.latest_works(works)
    gradable = [w for w in latest.values() if w.component.assessed_by == Assessor.MENTOR]
    return render(
        request,
        "training/scores/practice.html",
        {
            "enrolment": enrolment,
            "cohort": enrolment.cohort,
            "works": works,
            "latest_ids": {w.pk for w in latest.values()},
            "gradable": gradable if mentor else [],
            "own": own,
            "mentor": mentor,
            "locked": scores.is_locked(enrolment),
            "upload_form": upload_form,
            "grade_form": grade_form,
            "pass_mark": scores.pass_mark_for(enrolment.cohort),
            "components": components,
        },
    )


def _grade(request: AuthenticatedHttpRequest, enrolment: Enrolment, form: GradeForm) -> bool:
    raw = request.POST.get("grade", "")
    work = next((w for w in scores.practice_list(enrolment=enrolment) if str(w.uuid) == raw), None)
    if work is None:
        raise Http404
    d = form.cleaned_data
    try:
        scores.practice_grade(
            scope=request.scope, work=work, score=d["score"], comment=d["comment"], reason=d["reason"]
        )
    except ValidationError as e:
        form.add_error(None, e)
        return False
    messages.success(request, _("The practice work of %(name)s is graded.") % {"name": enrolment.person.full_name})
    return True


def practice_file(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    """A handed-in file, for those who may see the learner's practice work only (a download)."""
    work = get_in_scope_or_404(scores.practice_work_get, scope=request.scope, uuid=uuid)
    if not scores.can_see_practice(request.scope, work.enrolment):
        raise PermissionDenied
    try:
        return uploads.file_response(
            work.file, filename=work.filename, allowed=scores.PRACTICE_FILE_TYPES, attachment=True
        )
    except OSError:  # the row names a file the storage no longer has
        raise Http404 from None
