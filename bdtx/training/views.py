"""Pages of training delivery: cohorts (list, new, detail with trainers and sessions), enrolment from
approved plans (preview, then confirm), support groups, and a core teacher's own groups."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.organisations.filters import list_context_from_request
from bdtx.training import attendance, lms, questions, scores, selectors, services
from bdtx.training.forms import (
    CohortEditForm,
    CohortFilterForm,
    CohortForm,
    EnrolFilterForm,
    GroupMoveForm,
    MoveForm,
    PhaseForm,
    ReasonForm,
    SessionForm,
    TrainerForm,
)
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus


def cohort_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Cohorts of a school year in the viewer's scope, filtered by unit, programme and form."""
    if not request.scope.has_anywhere(Perm.TRAINING_VIEW):
        raise PermissionDenied
    ctx = list_context_from_request(request)
    form = CohortFilterForm(ctx.params, years=ctx.years, units=ctx.units)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.cohort_list(
        scope=request.scope,
        school_year=ctx.school_year,
        unit=ctx.unit,
        programme=f.get("programme", ""),
        form=f.get("form", ""),
    )
    page, base = paginate(request, qs)
    template = "training/_cohort_table.html" if request.htmx else "training/cohort_list.html"
    return render(
        request,
        template,
        {
            "ctx": ctx,
            "form": form,
            "page_obj": page,
            "querystring_base": base,
            "can_create": selectors.cohort_organiser_choices(scope=request.scope).exists(),
        },
    )


def cohort_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create a cohort, its phases from a schedule template (7-2-7) when one is chosen."""
    if not selectors.cohort_organiser_choices(scope=request.scope).exists():
        raise PermissionDenied
    year = list_context_from_request(request).school_year
    form = CohortForm(request.POST or None, scope=request.scope, school_year=year)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(scope=request.scope, school_year=year, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The cohort is created."))
            return redirect("training:detail", uuid=cohort.uuid)
    return render(request, "training/cohort_form.html", {"form": form, "year": year})


def _cohort(request: AuthenticatedHttpRequest, uuid: str) -> Cohort:
    """The cohort (404 outside the scope), which the viewer may see (403 otherwise)."""
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    selectors.cohort_require_view(request.scope, cohort)
    return cohort


def _managed(request: AuthenticatedHttpRequest, uuid: str) -> Cohort:
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    if not cohort.managed_by(request.scope):
        raise PermissionDenied
    return cohort


def _detail(
    request: AuthenticatedHttpRequest,
    cohort: Cohort,
    *,
    trainer_form: TrainerForm | None = None,
    session_form: SessionForm | None = None,
) -> HttpResponse:
    manage = selectors.cohort_can_manage(request.scope, cohort)
    if trainer_form is None and manage:
        trainer_form = TrainerForm(cohort=cohort)
    chosen = getattr(trainer_form, "cleaned_data", {}).get("person") if trainer_form is not None else None
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "counts": selectors.cohort_counts(cohort=cohort),
            "phases": selectors.cohort_phases(cohort=cohort),
            "sessions": selectors.cohort_sessions(cohort=cohort),
            "trainers": list(cohort.trainers.select_related("rule").order_by("full_name", "id")),
            "rule": selectors.trainer_rule_for(cohort.school_year),
            "manage": manage,
            "questions_waiting": questions.cohort_waiting(cohort=cohort),
            "lms_exchange": lms.lms_can_exchange(request.scope, cohort),
            "trainer_form": trainer_form,
            "trainer_chosen": chosen,
            "session_form": session_form or (SessionForm() if manage else None),
            "phase_form": PhaseForm() if manage else None,
            "attendance": attendance.cohort_attendance(cohort=cohort),
        },
    )


def cohort_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    return _detail(request, _cohort(request, uuid))


def cohort_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Change a cohort's name, form, capacity, assessing institution and status."""
    cohort = _managed(request, uuid)
    initial = {
        f: getattr(cohort, f) for f in ("name", "form", "capacity", "institution", "institution_organises", "status")
    }
    form = CohortEditForm(request.POST or None, initial=initial, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(scope=request.scope, cohort=cohort, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("training:detail", uuid=cohort.uuid)
    return render(request, "training/cohort_edit.html", {"form": form, "cohort": cohort})


@require_POST
def trainer_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    cohort = _managed(request, uuid)
    form = TrainerForm(request.POST, cohort=cohort)
    if form.is_valid():
        try:
            trainer, q = services.trainer_add(scope=request.scope, cohort=cohort, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            if q.qualifies:
                messages.success(request, _("%(name)s is added.") % {"name": trainer.full_name})
            else:
                messages.warning(
                    request,
                    _("%(name)s is added, but does not meet %(source)s: %(lacks)s.")
                    % {
                        "name": trainer.full_name,
                        "source": q.rule.source if q.rule else "",
                        "lacks": "; ".join(q.shortfalls),
                    },
                )
            return redirect("training:detail", uuid=cohort.uuid)
    return _detail(request, cohort, trainer_form=form)


@require_POST
def session_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    cohort = _managed(request, uuid)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.session_add(scope=request.scope, cohort=cohort, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The session is added."))
            return redirect("training:detail", uuid=cohort.uuid)
    return _detail(request, cohort, session_form=form)


def cohort_enrol(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Enrol from approved plans: the counts first (GET), the enrolment on confirming (POST)."""
    cohort = _managed(request, uuid)
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = EnrolFilterForm(data, organiser=cohort.organiser)
    filters = services.EnrolFilters()
    if form.is_bound and form.is_valid():
        filters = services.EnrolFilters(
            unit=form.cleaned_data["unit"],
            level=form.cleaned_data["level"],
            staff_type=form.cleaned_data["staff_type"],
        )
    if request.method == "POST" and form.is_valid():
        r = services.enrolment_bulk_from_plans(scope=request.scope, cohort=cohort, filters=filters)
        messages.success(
            request,
            _("%(n)s learners enrolled, %(w)s on the waiting list.") % {"n": r.enrolled, "w": r.waiting},
        )
        return redirect("training:detail", uuid=cohort.uuid)
    preview = services.enrolment_preview(scope=request.scope, cohort=cohort, filters=filters)
    return render(request, "training/cohort_enrol.html", {"cohort": cohort, "form": form, "preview": preview})


def cohort_groups(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The cohort's support groups with their core teacher and size, and its learners by group;
    the organiser splits the cohort (POST) and moves learners between groups."""
    cohort = _cohort(request, uuid)
    manage = selectors.cohort_can_manage(request.scope, cohort)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            r = services.groups_split(scope=request.scope, cohort=cohort)
        except ValidationError as e:
            messages.error(request, "; ".join(e.messages))
        else:
            messages.success(
                request,
                _("%(g)s groups made for %(n)s learners; %(m)s without a core teacher.")
                % {"g": r.groups, "n": r.learners, "m": r.without_mentor},
            )
        return redirect("training:groups", uuid=cohort.uuid)
    members = selectors.enrolment_list(scope=request.scope, cohort=cohort, status=EnrolmentStatus.ENROLLED)
    page, base = paginate(request, members.order_by("group__number", "unit__path", "person__sort_key", "id"))
    return render(
        request,
        "training/cohort_groups.html",
        {
            "cohort": cohort,
            "groups": list(selectors.group_list(cohort=cohort)),
            "others": list(selectors.other_cohorts(scope=request.scope, cohort=cohort)) if manage else [],
            "rule": selectors.mentor_rule_for(cohort.school_year),
            "page_obj": page,
            "querystring_base": base,
            "manage": manage,
        },
    )


def _on_enrolment(
    request: AuthenticatedHttpRequest,
    uuid: str,
    make_form: Callable[[Enrolment], forms.Form],
    act: Callable[[Enrolment, dict[str, Any]], str],
    invalid: str,
) -> HttpResponse:
    """One learner's row on the groups page: the enrolment inside the scope (404), the organiser's
    permission (403), the form, then the service `act` runs (it returns the message to show); a
    refusal or an invalid form is said in words. Back to the cohort's groups either way."""
    enrolment = get_in_scope_or_404(selectors.enrolment_get, scope=request.scope, uuid=uuid)
    if not enrolment.cohort.managed_by(request.scope):
        raise PermissionDenied
    form = make_form(enrolment)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            messages.success(request, act(enrolment, form.cleaned_data))
        except ValidationError as e:
            messages.error(request, "; ".join(e.messages))
    return redirect("training:groups", uuid=enrolment.cohort.uuid)


@require_POST
def enrolment_group(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Move one learner to another group of the cohort, by hand."""

    def act(enrolment: Enrolment, data: dict[str, Any]) -> str:
        services.group_member_move(scope=request.scope, enrolment=enrolment, group=data["group"])
        return _("%(name)s is moved.") % {"name": enrolment.person.full_name}

    return _on_enrolment(
        request, uuid, lambda e: GroupMoveForm(request.POST, cohort_id=e.cohort_id), act, _("Choose a group.")
    )


@require_POST
def enrolment_withdraw(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Withdraw one learner from the cohort, with a reason."""

    def act(enrolment: Enrolment, data: dict[str, Any]) -> str:
        services.enrolment_withdraw(scope=request.scope, enrolment=enrolment, reason=data["reason"])
        return _("%(name)s is withdrawn.") % {"name": enrolment.person.full_name}

    return _on_enrolment(request, uuid, lambda e: ReasonForm(request.POST), act, _("Give the reason."))


@require_POST
def enrolment_move(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Move one learner to another cohort of the same module and year, with a reason."""

    def act(enrolment: Enrolment, data: dict[str, Any]) -> str:
        services.enrolment_move(scope=request.scope, enrolment=enrolment, to=data["to"], reason=data["reason"])
        return _("%(name)s is moved to %(cohort)s.") % {"name": enrolment.person.full_name, "cohort": data["to"].name}

    return _on_enrolment(
        request,
        uuid,
        lambda e: MoveForm(request.POST, scope=request.scope, cohort=e.cohort),
        act,
        _("Choose the cohort and give the reason."),
    )


def my_groups(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A core teacher's page: the groups they lead this year and their learners (school, status)."""
    me = getattr(request.user, "person", None)
    year = school_year_current()
    groups = list(selectors.my_groups(person=me, school_year=year))
    if me is None or not groups:
        return render(request, "training/my_groups.html", {"groups": [], "members": [], "year": year})
    waiting = questions.waiting_by_group(person_id=me.pk, school_year=year)
    members = list(
        lms.with_lms_state(scores.with_practice_state(selectors.my_group_members(person=me, school_year=year)))
    )
    for g in groups:
        g.questions_waiting = waiting.get(g.pk)  # type: ignore[attr-defined]
        to_grade = [m for m in members if m.group_id == g.pk and getattr(m, "practice_to_grade", False)]
        g.practice_to_grade = len(to_grade)  # type: ignore[attr-defined]
    return render(
        request,
        "training/my_groups.html",
        {
            "groups": groups,
            "members": members,
            "hours": selectors.mentor_hours(person=me, school_year=year),
            "year": year,
        },
    )
