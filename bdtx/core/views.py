import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bdtx.accounts.models import Perm
from bdtx.accounts.selectors import role_assignments_for
from bdtx.core.paging import paginate
from bdtx.core.selectors import audit_list as select_audit
from bdtx.core.selectors import school_year_current
from bdtx.organisations.selectors import unit_scope_summary
from bdtx.people.selectors import person_current_employment, staff_counts
from bdtx.plans.selectors import due_next


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Landing page: the user's roles, their units, and counts of what lies under each."""
    year = school_year_current()
    assignments = role_assignments_for(request.user)
    cards = []
    for ra in assignments:
        if request.scope.has(Perm.PEOPLE_VIEW, ra.unit.path):
            cards.append(
                {
                    "assignment": ra,
                    "units": unit_scope_summary(unit=ra.unit),
                    "staff": staff_counts(scope=request.scope, school_year=year.pk, unit=ra.unit),
                }
            )
    me = getattr(request.user, "person", None)
    return render(
        request,
        "core/home.html",
        {
            "year": year,
            "assignments": assignments,
            "cards": cards,
            "me": me,
            "my_employment": person_current_employment(person=me, school_year=year) if me else None,
            "due_items": due_next(scope=request.scope, person=me, school_year=year.pk),
        },
    )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    request.scope.require(Perm.AUDIT_VIEW)
    obj = request.GET.get("object", "")
    qs = select_audit(
        scope=request.scope, action=request.GET.get("action") or None, object_uuid=obj if _is_uuid(obj) else None
    )
    page, qs_base = paginate(request, qs)
    return render(request, "core/audit_list.html", {"page_obj": page, "querystring_base": qs_base})
