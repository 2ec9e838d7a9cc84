"""The person page's link to their self-assessment of a year (`bdtx.core.person_links`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.person_links import ASSESSMENT, PersonLink
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current
from bdtx.people.models import Employment
from bdtx.standards import selectors
from bdtx.standards.models import Assessment

KEY = ASSESSMENT


def assessment_link(*, scope: Scope, person_id: int, school_year: SchoolYear) -> PersonLink | None:
    """The person's assessment of the year, opened as `assessment_detail` allows (`assessment_access`);
    the person's own, not submitted, where they fill it in (`my_assessment`, this year's only); its
    absence for who may list the assessments of the person's unit. At most three queries."""
    label = _("Assessment against the standard")
    assessment = selectors.assessment_of(scope=scope, person_id=person_id, school_year=school_year)
    own = scope.is_person(person_id)
    if assessment is not None:
        status = assessment.get_status_display()
        if own and assessment.status == Assessment.Status.DRAFT:
            if school_year.pk != school_year_current().pk:
                return PersonLink(KEY, label, status)
            url = reverse("standards:mine")
            return PersonLink(KEY, label, status, url, _("Continue my self-assessment"), todo=True)
        if selectors.assessment_access(scope=scope, assessment=assessment).allowed:
            return PersonLink(KEY, label, status, reverse("standards:detail", args=[assessment.uuid]))
        return None
    if own:
        if school_year.pk != school_year_current().pk:
            return None
        return PersonLink(KEY, label, _("Not started"), reverse("standards:mine"), _("Self-assess"), todo=True)
    listed = Employment.objects.visible_to(scope, Perm.STANDARDS_VIEW).filter(
        person_id=person_id, school_year=school_year
    )
    return PersonLink(KEY, label, _("Not started")) if listed.exists() else None
