"""Pages of a cohort's trainers: the search that links a trainer to a staff record on the cohort's page,
and a trainer's own page of the in-person sessions they run."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.paging import paginate
from bdtx.training import selectors


@require_GET
def trainer_people(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The trainer form's search (htmx): at most 20 people working under the organiser this school year
    whose name, phone, e-mail or user name matches, as choices (the organiser's only: 404/403)."""
    cohort = get_in_scope_or_404(selectors.cohort_get, scope=request.scope, uuid=uuid)
    if not cohort.managed_by(request.scope):
        raise PermissionDenied
    q = request.GET.get("person_q", "")[:100]
    found = selectors.trainer_candidates(cohort=cohort, q=q, limit=selectors.TRAINER_CANDIDATES_SHOWN + 1)
    return render(
        request,
        "training/_trainer_people.html",
        {
            "candidates": found[: selectors.TRAINER_CANDIDATES_SHOWN],
            "more": len(found) > selectors.TRAINER_CANDIDATES_SHOWN,
            "searched": bool(q.strip()),
        },
    )


def my_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A trainer's page: the cohorts of the school year they are linked to as a trainer, and their
    in-person sessions, upcoming (the next first) or past (the latest first), with the roster, the
    QR page and the cohort's questions. Someone who trains nowhere sees that said (not a 403)."""
    me = getattr(request.user, "person", None)
    year = year_from_request(request)
    roles = selectors.my_trainer_roles(person=me, school_year=year)
    if me is None or not roles:
        return render(request, "training/my_sessions.html", {"roles": [], "year": year})
    show = "past" if request.GET.get("show") == "past" else "upcoming"
    sessions = selectors.my_trainer_sessions(person=me, school_year=year, upcoming=show == "upcoming")
    page, base = paginate(request, sessions)
    return render(
        request,
        "training/my_sessions.html",
        {
            "roles": roles,
            "year": year,
            "show": show,
            "counts": selectors.my_trainer_session_counts(person=me, school_year=year),
            "page_obj": page,
            "querystring_base": base,
        },
    )
