"""Pages of learner surveys: the organiser's list of cohorts and their surveys, attaching a
questionnaire to a cohort, response tracking with reminders, the results and their export; the
learner's form (on a phone). Each page: 404 outside the scope, 403 inside without the right."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.catalog.models import Module
from bdtx.core.exporters import Column, write_xlsx, xlsx_response
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.numbers import percent
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations.models import Unit
from bdtx.surveys import selectors, services
from bdtx.surveys.forms import AttachModuleForm, QuestionnaireForm, question_formset
from bdtx.surveys.models import (
    LIKERT_LABELS,
    MIN_RESPONSES,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireStatus,
    Survey,
)
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
    return render(
        request,
        "surveys/survey_list.html",
        {"year": year, "cohorts": cohorts, "can_manage": request.scope.has_anywhere(Perm.TRAINING_MANAGE)},
    )


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


def _percent(part: int, whole: int) -> Decimal:
    """A rate for the .xlsx, a number to one decimal (Excel shows it with the reader's decimal mark),
    exact and halves up (`bdtx.core.numbers.percent`: 1 of 16 is 6.3, round() gave 6.2); 0 of none."""
    return percent(part, whole, places=1) or Decimal(0)


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


# Questionnaires: the list of those the viewer's units keep (and the shared ones, read-only), a
# questionnaire's page, creating (or copying) and changing one. Training managers only.


def _owners(request: AuthenticatedHttpRequest) -> list[tuple[int, str]]:
    """The units where the viewer manages training: who may keep a new questionnaire."""
    ids = request.scope.units_with(Perm.TRAINING_MANAGE)
    return list(Unit.objects.filter(pk__in=ids).order_by("path").values_list("pk", "name"))


def _questionnaire(request: AuthenticatedHttpRequest, uuid: str) -> Questionnaire:
    """The questionnaire (404 outside the scope); training managers of its unit, or of any unit for
    a shared one, only (403)."""
    qn: Questionnaire = get_in_scope_or_404(selectors.questionnaire_get, scope=request.scope, uuid=uuid)
    if qn.owner is None:
        if not request.scope.has_anywhere(Perm.TRAINING_MANAGE):
            raise PermissionDenied
    else:
        request.scope.require(Perm.TRAINING_MANAGE, qn.owner.path)
    return qn


def questionnaire_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.scope.has_anywhere(Perm.TRAINING_MANAGE):
        raise PermissionDenied
    questionnaires = list(selectors.questionnaires_kept(scope=request.scope))
    for qn in questionnaires:
        qn.can_edit = services.may_keep(request.scope, qn.owner)
    return render(request, "surveys/questionnaire_list.html", {"questionnaires": questionnaires})


def questionnaire_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    qn = _questionnaire(request, uuid)
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": qn,
            "questions": selectors.questionnaire_questions(qn),
            "answered": selectors.questionnaire_answered(qn),
            "can_edit": services.may_keep(request.scope, qn.owner),
            "can_copy": bool(_owners(request)),
        },
    )


def questionnaire_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new questionnaire kept by one of the viewer's units; `?from=<uuid>` starts from a copy of
    another one it reaches (the shared one, say)."""
    owners = _owners(request)
    if not owners:
        raise PermissionDenied
    source = _questionnaire(request, request.GET["from"]) if request.GET.get("from") else None
    initial: dict[str, Any] = {"owner": owners[0][0], "status": QuestionnaireStatus.DRAFT}
    if source:
        initial |= {"title": source.title, "intro": source.intro, "satisfied_from": source.satisfied_from}
    data = request.POST if request.method == "POST" else None
    form = QuestionnaireForm(data, initial=initial)
    form.set_choices("owner", owners)
    formset = question_formset(data=data, questions=selectors.questionnaire_questions(source) if source else None)
    if data is not None and form.is_valid() and formset.is_valid():
        d = form.cleaned_data
        try:
            qn = services.questionnaire_create(
                scope=request.scope,
                owner=Unit.objects.get(pk=d["owner"]),
                title=d["title"],
                intro=d["intro"],
                satisfied_from=d["satisfied_from"],
                status=d["status"],
                questions=formset.specs(),
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The questionnaire is saved."))
            return redirect("surveys:questionnaire", uuid=qn.uuid)
    return render(request, "surveys/questionnaire_form.html", {"form": form, "formset": formset, "questionnaire": None})


def questionnaire_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Change a questionnaire of the viewer's units. Once learners have answered it, only its title,
    introduction and status change: its questions and rule are shown, not offered."""
    qn = _questionnaire(request, uuid)
    if not services.may_keep(request.scope, qn.owner):
        raise PermissionDenied
    answered = selectors.questionnaire_answered(qn)
    questions = selectors.questionnaire_questions(qn)
    data = request.POST if request.method == "POST" else None
    initial = {"title": qn.title, "intro": qn.intro, "satisfied_from": qn.satisfied_from, "status": qn.status}
    form = QuestionnaireForm(data, initial=initial)
    del form.fields["owner"]
    if answered:
        del form.fields["satisfied_from"]
    formset = None if answered else question_formset(data=data, questions=questions, extra=2)
    if data is not None and form.is_valid() and (formset is None or formset.is_valid()):
        d = form.cleaned_data
        try:
            services.questionnaire_update(
                scope=request.scope,
                questionnaire=qn,
                title=d["title"],
                intro=d["intro"],
                status=d["status"],
                satisfied_from=d.get("satisfied_from"),
                questions=formset.specs() if formset is not None and formset.has_changed() else None,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The questionnaire is saved."))
            return redirect("surveys:questionnaire", uuid=qn.uuid)
    return render(
        request,
        "surveys/questionnaire_form.html",
        {"form": form, "formset": formset, "questionnaire": qn, "questions": questions, "answered": answered},
    )


def survey_attach_module(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Put one questionnaire to every cohort of a module the viewer organises in the school year."""
    if not request.scope.has_anywhere(Perm.TRAINING_MANAGE):
        raise PermissionDenied
    year = year_from_request(request)
    modules = selectors.modules_to_survey(scope=request.scope, school_year=year)
    usable = {q.pk: q for q in selectors.questionnaires_usable(scope=request.scope)}
    form = AttachModuleForm(request.POST if request.method == "POST" else None)
    form.set_choices("module", [(m, f"{label} ({n})") for m, label, n in modules])
    form.set_choices("questionnaire", [(q.pk, q.title) for q in usable.values()])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            surveys = services.survey_attach_module(
                scope=request.scope,
                module=Module.objects.get(pk=d["module"]),
                school_year=year,
                questionnaire=usable[d["questionnaire"]],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if surveys:
                messages.success(
                    request, _("The survey is attached to %(n)s cohorts of the module.") % {"n": len(surveys)}
                )
            else:
                messages.info(request, _("Every cohort of the module you organise has this questionnaire already."))
            return redirect(f"{reverse('surveys:list')}?year={year.pk}")
    return render(request, "surveys/attach_module.html", {"form": form, "year": year, "modules": modules})
