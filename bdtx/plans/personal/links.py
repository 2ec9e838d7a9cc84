"""The link to a person's personal plan of a year (`bdtx.core.person_links`): on the person page, and
on the self-assessment's page as the next step."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.person_links import PERSONAL_PLAN, PersonLink
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment
from bdtx.plans.models import PersonalPlan, PlanStatus

KEY = PERSONAL_PLAN


def personal_plan_link(*, scope: Scope, person_id: int, school_year: SchoolYear) -> PersonLink | None:
    """The person's plan of the year, for who may open it as `plan_detail` does (the person, or
    PLANS_VIEW over the plan's school). Without a plan: for the person themself, the page that makes
    it (`my_plan`, with the modules proposed from their needs), when they can make it there (this
    year's or the next, on that year's staff list); for who may list the plans of the person's unit,
    that there is none. At most three queries."""
    label = _("Personal BDTX plan")
    plan = (
        PersonalPlan.objects.visible_to(scope)
        .filter(person_id=person_id, school_year=school_year)
        .select_related("unit")
        .first()
    )
    own = scope.is_person(person_id)
    if plan is not None:
        if own or scope.has(Perm.PLANS_VIEW, plan.unit.path):
            todo = own and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED)
            url = reverse("plans:detail", args=[plan.uuid])
            return PersonLink(KEY, label, plan.get_status_display(), url, todo=todo)
        return None
    employed = Employment.objects.filter(person_id=person_id, school_year=school_year)
    if own:
        current = school_year_current()
        if school_year.pk not in (current.pk, current.pk + 1):
            return None
        if not employed.exists():  # `plan_start` would refuse: no link to a dead end
            return PersonLink(KEY, label, _("No plan yet"), todo=True)
        url = f"{reverse('plans:mine')}?year={school_year.pk}"
        return PersonLink(KEY, label, _("No plan yet"), url, _("Make my personal BDTX plan"), todo=True)
    listed = Employment.objects.visible_to(scope, Perm.PLANS_VIEW).filter(person_id=person_id, school_year=school_year)
    return PersonLink(KEY, label, _("No plan yet")) if listed.exists() else None
