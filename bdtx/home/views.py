"""Pages that gather many apps: the landing page and a unit's page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bdtx.accounts.models import ACCOUNT_AT_UNIT_KINDS, Role
from bdtx.accounts.selectors import role_assignment_list, role_assignments_for
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current, school_year_list
from bdtx.home.selectors import data_sources as select_data_sources
from bdtx.home.selectors import waiting_for
from bdtx.organisations import selectors as units
from bdtx.organisations.models import UnitKind
from bdtx.people.selectors import person_current_employment, staff_counts
from bdtx.plans.due import due_next
from bdtx.plans.unit.selectors import is_school_like, may_act_for, unit_plan_find
from bdtx.surveys.selectors import surveys_waiting
from bdtx.training.selectors import is_trainer_in, mentor_hours, my_enrolments, my_groups


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Landing page: the user's roles, their units, and counts of what lies under each; for a training
    institution's staff, what the institution does and what they can open today."""
    year = school_year_current()
    assignments = role_assignments_for(request.user)
    cards = [
        {
            "assignment": ra,
            "units": units.unit_scope_summary(unit=ra.unit),
            "staff": staff_counts(scope=request.scope, school_year=year, unit=ra.unit),
            "dashboard": request.scope.has(Perm.REPORTS_VIEW, ra.unit.path),
        }
        for ra in assignments
        if request.scope.has(Perm.PEOPLE_VIEW, ra.unit.path)
    ]
    institutions = [ra for ra in assignments if ra.role == Role.INSTITUTION_STAFF]
    me = getattr(request.user, "person", None)
    hours = (
        mentor_hours(person=me, school_year=year) if me and my_groups(person=me, school_year=year).exists() else None
    )
    return render(
        request,
        "home/home.html",
        {
            "year": year,
            "assignments": assignments,
            "cards": cards,
            "institutions": institutions,
            "me": me,
            "my_employment": person_current_employment(person=me, school_year=year) if me else None,
            "due_items": due_next(scope=request.scope, person=me, school_year=year),
            "waiting": waiting_for(scope=request.scope, person=me, school_year=year),
            "my_cohorts": my_enrolments(person=me, school_year=year),
            "my_surveys": list(surveys_waiting(person=me, today=timezone.localdate())),
            "mentor_hours": hours,
            "trains": is_trainer_in(person=me, school_year=year),
        },
    )


def unit_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A unit in the tree of the chosen school year: its place, history, children and staff counts."""
    unit = get_in_scope_or_404(units.unit_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.UNITS_VIEW, unit.path)
    year = year_from_request(request)
    scope = request.scope
    # A training institution keeps no staff records (its staff are not BDTX learners).
    sees_staff = unit.kind != UnitKind.INSTITUTION and scope.has(Perm.PEOPLE_VIEW, unit.path)
    manages_roles = scope.has(Perm.ROLES_MANAGE, unit.path)
    # its plans, as the plans' pages allow them (PLANS_VIEW over the unit); an institution has none
    sees_plans = unit.kind != UnitKind.INSTITUTION and scope.has(Perm.PLANS_VIEW, unit.path)
    # its yearly results report (yearreports), as those pages allow it (REPORTS_VIEW over the unit)
    sees_reports = unit.kind != UnitKind.INSTITUTION and scope.has(Perm.REPORTS_VIEW, unit.path)
    return render(
        request,
        "home/unit_detail.html",
        {
            "unit": unit,
            "year": year,
            "years": school_year_list(),
            "parent_visible": unit.parent is not None and scope.covers(unit.parent.path),
            "summary": units.unit_scope_summary(unit=unit),
            "children": units.unit_children_on(unit=unit, day=year.ends_on),
            "placements": unit.placements.select_related("parent").order_by("valid_from"),
            "staff": staff_counts(scope=scope, school_year=year, unit=unit) if sees_staff else None,
            "accounts": role_assignment_list(scope=scope, unit=unit).count() if manages_roles else None,
            "accounts_here": manages_roles and unit.kind in ACCOUNT_AT_UNIT_KINDS,
            "sees_plans": sees_plans,
            "unit_plan": unit_plan_find(unit=unit, school_year=year) if sees_plans else None,
            "can_compile": sees_plans and may_act_for(scope=scope, unit=unit),
            "plans_below": sees_plans and not is_school_like(unit),
            "sees_reports": sees_reports,
            "reports_below": sees_reports and not is_school_like(unit),
        },
    )


def data_sources(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The data sources panel: legal sources, confidence and what is still to be checked, for the
    people who maintain the catalogs, standards, regimes and default deadlines (403 for others)."""
    return render(request, "home/data_sources.html", {"sources": select_data_sources(request.scope)})
