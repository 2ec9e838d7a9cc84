"""Pages of learner surveys: the organiser's list of cohorts and their surveys, attaching a
questionnaire to a cohort, response tracking with reminders, the results and their export; the
learner's form (on a phone). Each page: 404 outside the scope, 403 inside without the right."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.exporters import Column, write_xlsx, xlsx_response
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.surveys import selectors, services
from bdtx.surveys.models import LIKERT_LABELS, MIN_RESPONSES, Question, QuestionKind, Questionnaire, Survey
from bdtx.training.models import Cohort
from bdtx.training.selectors import cohort_get


class AttachForm(BootstrapFormMixin, forms.Form):
    questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(), label=gettext_lazy("Questionnaire"), empty_label=None
    )
    opens_on = forms.DateField(
        label=gettext_lazy("Opens on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: the day after the cohort's last phase."),
    )
    closes_on = forms.DateField(
        label=gettext_lazy("Closes on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: two weeks after it opens."),
    )


def _survey(request: AuthenticatedHttpRequest, uuid: str, *, manage: bool = False) -> Survey:
    """The survey (404 outside the scope); its cohort's training viewers (or, with `manage`, its
    organisers) only (403)."""
    survey = get_in_scope_or_404(selectors.survey_get, scope=request.scope, uuid=uuid)
    allowed = survey.cohort.managed_by(request.scope) if manage else survey.cohort.viewed_by(request.scope)
    if not allowed:
        raise PermissionDenied
    return survey


def survey_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cohorts of the year whose training the viewer sees, with their surveys and response counts."""
    if not request.scope.has_anywhere(Perm.TRAINING_VIEW):
        raise PermissionDenied
    year = year_from_request(request)
    cohorts = selectors.cohorts_with_surveys(scope=request.scope, school_year=year)
    for c in cohorts:
        c.can_attach = c.managed_by(request.scope)  # type: ignore[attr-defined]
    return render(request, "surveys/survey_list.html", {"year": year, "cohorts": cohorts})


def survey_attach(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Put a questionnaire to a cohort (its organisers)."""
    cohort: Cohort = get_in_scope_or_404(cohort_get, scope=request.scope, uuid=uuid)
    if not cohort.managed_by(request.scope):
        raise PermissionDenied
    form = AttachForm(request.POST or None)
    form.fields["questionnaire"].queryset = selectors.questionnaires_usable(scope=request.scope)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_attach(
                scope=request.scope,
                cohort=cohort,
                questionnaire=d["questionnaire"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The survey is attached to the cohort."))
            return redirect("surveys:tracking", uuid=survey.uuid)
    default_open = services.default_opens_on(cohort)
    return render(request, "surveys/attach.html", {"cohort": cohort, "form": form, "default_open": default_open})


def survey_tracking(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Who has answered, per group and per school (counts), and who has not (names, for reminders)."""
    survey = _survey(request, uuid)
    by_group = selectors.survey_tracking(survey=survey, by="group")
    by_unit = selectors.survey_tracking(survey=survey, by="unit")
    enrolled = sum(t.enrolled for t in by_unit)
    answered = sum(t.answered for t in by_unit)
    today = timezone.localdate()
    page, base = paginate(request, selectors.nonrespondent_list(survey=survey))
    return render(
        request,
        "surveys/tracking.html",
        {
            "survey": survey,
            "by_group": by_group,
            "by_unit": by_unit,
            "enrolled": enrolled,
            "answered": answered,
            "rate": answered / enrolled if enrolled else 0,
            "page_obj": page,
            "querystring_base": base,
            "breakdown": selectors.survey_nonrespondents_breakdown(surveys=Survey.objects.filter(pk=survey.pk)),
            "can_remind": survey.cohort.managed_by(request.scope)
            and survey.opens_on <= today <= survey.closes_on
            and survey.reminded_on != today,
            "is_open": survey.opens_on <= today <= survey.closes_on,
            "reminded_today": survey.reminded_on == today,
        },
    )


def survey_remind(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    survey = _survey(request, uuid, manage=True)
    if request.method != "POST":
        return redirect("surveys:tracking", uuid=survey.uuid)
    try:
        n = services.survey_remind(scope=request.scope, survey=survey)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("A reminder goes to %(n)s learners by e-mail.") % {"n": n})
    return redirect("surveys:tracking", uuid=survey.uuid)


def survey_results(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The anonymous results (hidden under `MIN_RESPONSES` answers)."""
    survey = _survey(request, uuid)
    results = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "results": results, "min_responses": MIN_RESPONSES},
    )


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def survey_results_export(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The aggregated results as .xlsx: counts only, open answers without attribution."""
    survey = _survey(request, uuid)
    r = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    rows: list[list[Any]] = [
        [_("Learners enrolled"), "", r.enrolled, ""],
        [_("Learners who answered"), "", r.responses, _percent(r.responses, r.enrolled)],
    ]
    if r.suppressed:
        rows.append([_("Fewer than %(n)s answers: the results are not shown.") % {"n": MIN_RESPONSES}, "", "", ""])
    else:
        rows.append([_("Satisfied with the module"), "", r.satisfied, _percent(r.satisfied or 0, r.responses)])
        for q in r.questions:
            for label, n in q.counts:
                rows.append([f"{q.question.position}. {q.question.text}", label, n, _percent(n, q.answered)])
            for text in q.texts:
                rows.append([f"{q.question.position}. {q.question.text}", text, "", ""])
    content = write_xlsx(
        title=f"{survey.questionnaire.title} — {survey.cohort.name}",
        subtitle=_("Anonymous results, %(n)s answers") % {"n": r.responses},
        columns=[
            Column(_("Question"), 60),
            Column(_("Answer"), 50),
            Column(_("Answers"), 10),
            Column(_("Rate (%)"), 10),
        ],
        rows=rows,
        sheet=_("Results"),
    )
    return xlsx_response(content, f"khao-sat-{survey.uuid}.xlsx")


def _form_answers(request: AuthenticatedHttpRequest, questions: list[Question]) -> dict[int, object]:
    return {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}


def survey_answer(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The learner's form: one page, large choices for a phone; anonymous."""
    survey = get_in_scope_or_404(selectors.survey_get, scope=request.scope, uuid=uuid)
    me = getattr(request.user, "person", None)
    if not selectors.is_enrolled(survey=survey, person=me):
        raise PermissionDenied
    questions = selectors.questions_of(survey)
    today: date = timezone.localdate()
    answered = selectors.has_answered(survey=survey, person=me)
    given: dict[int, object] = {}
    error = ""
    if request.method == "POST" and not answered:
        given = _form_answers(request, questions)
        try:
            services.survey_answer(scope=request.scope, survey=survey, answers=given)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("Thank you: your answers are recorded, without your name."))
            return redirect("home:home")
    for q in questions:
        q.given = str(given.get(q.pk, ""))  # type: ignore[attr-defined]
        q.options = (  # type: ignore[attr-defined]
            [(str(v), LIKERT_LABELS[v]) for v in range(1, 6)]
            if q.kind == QuestionKind.LIKERT5
            else [(str(i), c) for i, c in enumerate(q.choices)]
        )
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": questions,
            "answered": answered,
            "is_open": survey.opens_on <= today <= survey.closes_on,
            "error": error,
        },
        status=400 if error else 200,
    )
