"""Reads of standards and assessments."""

from django.db.models import QuerySet

from bdtx.core.scope import Scope
from bdtx.people.models import Person
from bdtx.standards.models import Assessment, Criterion, Level


def latest_assessment(*, person: Person, school_year: int) -> Assessment | None:
    """The person's most recent assessment up to (and including) that school year."""
    return (
        Assessment.objects.filter(person=person, school_year_id__lte=school_year)
        .select_related("framework")
        .order_by("-school_year_id")
        .first()
    )


def weak_criteria(*, person: Person, school_year: int) -> list[Criterion]:
    """Criteria of the latest assessment rated Chưa đạt or Đạt (the principal's level wins over the
    person's own), weakest first: what programme 03 should strengthen."""
    assessment = latest_assessment(person=person, school_year=school_year)
    if assessment is None:
        return []
    weak = []
    for r in assessment.ratings.select_related("criterion", "criterion__standard"):
        level = r.principal_level or r.self_level
        if level is not None and level <= Level.MET:
            weak.append((level, r.criterion.number, r.criterion))
    return [c for _, _, c in sorted(weak, key=lambda t: (t[0], t[1]))]


def assessments_visible(*, scope: Scope, school_year: int) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(scope).filter(school_year_id=school_year).select_related("person", "unit")
