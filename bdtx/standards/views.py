from django import forms
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
from bdtx.organisations.selectors import require_national
from bdtx.people.models import Person
from bdtx.standards import exporters, selectors, services
from bdtx.standards.forms import (
    AssessmentFilterForm,
    CriterionForm,
    EvaluationForm,
    FrameworkForm,
    OpinionForm,
    SelfAssessmentForm,
)
from bdtx.standards.models import Assessment, Framework
from bdtx.standards.rating import framework_criteria, framework_rules, rating_explain, result_gaps_reason

PROBLEMS_PER_PAGE = 100


def _me(request: AuthenticatedHttpRequest) -> Person:
    """The signed-in user's staff record; users without one have no self-assessment (403)."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    return person


def _completeness(request: AuthenticatedHttpRequest, framework: Framework) -> dict[str, object]:
    """What the pages say about a standard whose criteria are not all recorded: the completeness,
    and whether the viewer may complete it (asked only when it is incomplete)."""
    completeness = selectors.framework_completeness(framework)
    can_complete = not completeness.complete and selectors.may_complete_standards(request.scope)
    return {"completeness": completeness, "can_complete": can_complete}


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
    context = {"mine": mine, "form": form, "outcome": outcome, **_completeness(request, mine.framework)}
    return render(request, "standards/mine.html", context)


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
    ratings = selectors.assessment_ratings(assessment)
    gaps = selectors.assessment_result_gaps(assessment, ratings)
    context = {
        "a": assessment,
        "access": access,
        "ratings": ratings,
        "gaps": gaps,
        "self_provisional": result_gaps_reason(assessment.framework, gaps.self_result),
        "principal_provisional": result_gaps_reason(assessment.framework, gaps.principal_result),
        "opinions": selectors.assessment_opinions(assessment),
        "opinion_form": OpinionForm() if access.opinion else None,
        "show_evaluation": access.owner or access.view_all,
        "next_step": selectors.assessment_next_step(scope=request.scope, assessment=assessment),
        **_completeness(request, assessment.framework),
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
    gaps = selectors.assessment_result_gaps(assessment, ratings)
    context = {
        "a": assessment,
        "form": form,
        "outcome": outcome,
        "opinions": selectors.assessment_opinions(assessment),
        "self_provisional": result_gaps_reason(assessment.framework, gaps.self_result),
        **_completeness(request, assessment.framework),
    }
    return render(request, "standards/evaluate.html", context)


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
        "can_see_standards": request.scope.has_anywhere(Perm.CATALOG_MANAGE),
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


# --- the standards themselves: national data an administrator completes from the circulars ------


def _framework(uuid: str) -> Framework:
    try:
        return selectors.framework_get(uuid=uuid)
    except Framework.DoesNotExist:
        raise Http404 from None


def _require_catalog_manager(request: AuthenticatedHttpRequest) -> None:
    """The standards with their sources are shown to those who manage catalogs somewhere (as the
    module catalogs are); only the ministry's managers change them (`require_national`)."""
    if not request.scope.has_anywhere(Perm.CATALOG_MANAGE):
        raise PermissionDenied


def _form_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages_ in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages_)


def framework_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_catalog_manager(request)
    return render(request, "standards/framework_list.html", {"frameworks": selectors.frameworks_with_completeness()})


def framework_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    framework = _framework(uuid)
    _require_catalog_manager(request)
    context = {
        "framework": framework,
        "completeness": selectors.framework_completeness(framework),
        "standards": selectors.framework_standards(framework),
        "rules": framework_rules(selectors.framework_with_rules(pk=framework.pk)),
        "can_edit": selectors.may_complete_standards(request.scope),
    }
    return render(request, "standards/framework_detail.html", context)


def framework_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    framework = _framework(uuid)
    require_national(request.scope, Perm.CATALOG_MANAGE)
    form = FrameworkForm(request.POST or None, instance=framework)
    if request.method == "POST" and form.is_valid():
        framework.refresh_from_db()
        try:
            services.framework_update(scope=request.scope, framework=framework, **form.cleaned_data)
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("standards:framework", uuid=framework.uuid)
    return render(request, "standards/framework_form.html", {"framework": framework, "form": form})


def criterion_edit(request: AuthenticatedHttpRequest, uuid: str, number: int) -> HttpResponse:
    """Add criterion `number` of the framework from the circular's text, or correct it."""
    framework = _framework(uuid)
    if number < 1 or (framework.criteria_count and number > framework.criteria_count):
        raise Http404  # the circular has no such criterion
    require_national(request.scope, Perm.CATALOG_MANAGE)
    criterion = selectors.framework_criterion(framework=framework, number=number)
    initial = (
        {
            "standard_number": criterion.standard.number,
            "standard_title": criterion.standard.title,
            "title": criterion.title,
            "is_key": criterion.is_key,
            "source": criterion.source,
            "confidence": criterion.confidence,
        }
        if criterion is not None
        else {}
    )
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(scope=request.scope, framework=framework, number=number, **form.cleaned_data)
        except ValidationError as e:
            _form_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("standards:framework", uuid=framework.uuid)
    context = {"framework": framework, "criterion": criterion, "number": number, "form": form}
    return render(request, "standards/criterion_form.html", context)
