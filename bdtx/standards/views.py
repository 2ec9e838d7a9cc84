from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core import uploads
from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.organisations.filters import list_context_from_request
from bdtx.people.models import Person
from bdtx.standards import exporters, selectors, services
from bdtx.standards.forms import (
    AssessmentFilterForm,
    EvaluationForm,
    OpinionForm,
    SelfAssessmentForm,
)
from bdtx.standards.models import Assessment, Framework
from bdtx.standards.rating import framework_criteria, framework_rules, rating_explain

PROBLEMS_PER_PAGE = 100


def _me(request: AuthenticatedHttpRequest) -> Person:
    """The signed-in user's staff record; users without one have no self-assessment (403)."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


def my_assessment(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = school_year_current()
    mine = selectors.my_standard(person=_me(request), school_year=year)
    if mine.assessment is not None and mine.assessment.status != Assessment.Status.DRAFT:
        return redirect("standards:detail", uuid=mine.assessment.uuid)
    if mine.employment is None or mine.framework is None:
        return render(request, "standards/mine.html", {"mine": mine})
    form = SelfAssessmentForm(
        request.POST or None,
        request.FILES or None,
        standards=selectors.framework_standards(mine.framework),
        ratings=selectors.ratings_by_criterion(mine.assessment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_save_self(
                scope=request.scope, person=mine.person, school_year=year, ratings=form.entries()
            )
            if "submit" in request.POST:
                services.assessment_submit(scope=request.scope, assessment=assessment)
                messages.success(request, _("Your self-assessment has been submitted."))
                return redirect("standards:detail", uuid=assessment.uuid)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("standards:mine")
        mine = selectors.my_standard(person=mine.person, school_year=year)  # the draft as saved
        form.ratings = selectors.ratings_by_criterion(mine.assessment)
    assert mine.framework is not None
    outcome = rating_explain(framework=mine.framework, levels=form.current_levels())
    return render(request, "standards/mine.html", {"mine": mine, "form": form, "outcome": outcome})


@require_POST
def rating_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overall rating of the levels being entered (htmx), by the framework's rules. No writes."""
    try:
        framework = selectors.framework_with_rules(uuid=request.POST.get("framework", ""))
    except (Framework.DoesNotExist, ValidationError):
        raise Http404 from None
    criteria = framework_criteria(framework)
    levels: dict[int, int | None] = {}
    for c in criteria:
        raw = request.POST.get(f"level_{c.pk}", "")
        levels[c.pk] = int(raw) if raw in ("1", "2", "3", "4") else None
    outcome = rating_explain(framework=framework, levels=levels, criteria=criteria, rules=framework_rules(framework))
    return render(request, "standards/_rating_preview.html", {"outcome": outcome})


# --- one assessment -----------------------------------------------------------------------------


def _assessment(request: AuthenticatedHttpRequest, uuid: str) -> tuple[Assessment, selectors.Access]:
    """The assessment if the viewer may open it (else 404, like a missing one)."""
    try:
        assessment = selectors.assessment_get(scope=request.scope, uuid=uuid)
    except Assessment.DoesNotExist:
        raise Http404 from None
    access = selectors.assessment_access(scope=request.scope, assessment=assessment)
    if not access.allowed:
        raise PermissionDenied
    return assessment, access


def assessment_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    assessment, access = _assessment(request, uuid)
    context = {
        "a": assessment,
        "access": access,
        "ratings": selectors.assessment_ratings(assessment),
        "opinions": selectors.assessment_opinions(assessment),
        "opinion_form": OpinionForm() if access.opinion else None,
        "show_evaluation": access.owner or access.view_all,
    }
    return render(request, "standards/detail.html", context)


def assessment_evaluate(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    assessment, access = _assessment(request, uuid)
    if not access.evaluate:
        raise PermissionDenied
    ratings = selectors.assessment_ratings(assessment)
    form = EvaluationForm(
        request.POST or None,
        standards=selectors.framework_standards(assessment.framework),
        ratings={r.criterion_id: r for r in ratings},
        assessment=assessment,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_evaluate(
                scope=request.scope,
                assessment=assessment,
                levels=form.levels(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The evaluation has been recorded."))
            return redirect("standards:detail", uuid=assessment.uuid)
    outcome = rating_explain(framework=assessment.framework, levels=form.current_levels())
    return render(
        request,
        "standards/evaluate.html",
        {"a": assessment, "form": form, "outcome": outcome, "opinions": selectors.assessment_opinions(assessment)},
    )


@require_POST
def opinion_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    assessment, access = _assessment(request, uuid)
    if not access.opinion:
        raise PermissionDenied
    form = OpinionForm(request.POST)
    if form.is_valid():
        try:
            services.opinion_add(scope=request.scope, assessment=assessment, text=form.cleaned_data["text"])
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Your opinion has been added."))
    else:
        messages.error(request, _("Write your opinion first."))
    return redirect("standards:detail", uuid=assessment.uuid)


def evidence_file(request: AuthenticatedHttpRequest, uuid: str, criterion: int) -> FileResponse:
    assessment, _access = _assessment(request, uuid)
    rating = assessment.ratings.filter(criterion_id=criterion).exclude(evidence_file="").first()
    if rating is None:
        raise Http404
    try:
        return uploads.file_response(
            rating.evidence_file, filename=rating.evidence_filename, allowed=uploads.EVIDENCE_TYPES
        )
    except OSError:  # the row names a file the storage no longer has
        raise Http404 from None


# --- lists --------------------------------------------------------------------------------------


def _filter_from_request(request: AuthenticatedHttpRequest) -> tuple[AssessmentFilterForm, selectors.AssessmentFilter]:
    """The list filter from the query string; a unit outside the scope is a 404."""
    lc = list_context_from_request(request)
    form = AssessmentFilterForm(lc.params, years=lc.years, units=lc.units)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    f = selectors.AssessmentFilter(
        school_year=lc.school_year,
        unit=lc.unit,
        status=data.get("status") or "",
        q=data.get("q") or "",
    )
    return form, f


def assessment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.STANDARDS_VIEW)
    form, f = _filter_from_request(request)
    qs = selectors.assessment_list(scope=request.scope, f=f)
    page, base = paginate(request, qs)
    context = {
        "form": form,
        "filter": f,
        "page_obj": page,
        "querystring_base": base,
        "counts": selectors.assessment_counts(qs),
        "not_started": selectors.not_started_count(scope=request.scope, f=f),
        "can_import": selectors.temis_import_unit_choices(scope=request.scope).exists(),
    }
    template = "standards/_list_table.html" if request.htmx else "standards/list.html"
    return render(request, template, context)


def assessment_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.STANDARDS_VIEW)
    _form, f = _filter_from_request(request)
    qs = selectors.assessment_export_rows(selectors.assessment_list(scope=request.scope, f=f))
    content = write_xlsx(
        title=_("Assessments against the professional standard, school year %(y)s-%(z)s")
        % {"y": f.school_year.start_year, "z": f.school_year.start_year + 1},
        subtitle=(f.unit.name if f.unit else _("All units in my scope"))
        + " — "
        + _("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=exporters.assessment_columns(),
        rows=exporters.assessment_rows(qs),
    )
    return xlsx_response(content, f"danh-gia-chuan-{f.school_year.start_year}.xlsx")
