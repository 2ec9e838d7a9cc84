"""The dashboards' summary of each unit and school year, kept current by the summaries app (a unit's
rows are deleted and written again when the data under it changes; `summary`). A dashboard sums the
rows of its subtree's units instead of reading their people and enrolments."""

from django.db import models

from bdtx.summaries.models import UnitSummary


class UnitPeople(UnitSummary):
    """The people in scope at a unit that year sharing the same groups and measures (definitions in
    `selectors`): `n` of them."""

    g_women = models.BooleanField()
    g_minority = models.BooleanField()
    g_minority_women = models.BooleanField()
    g_difficult = models.BooleanField()
    m_plans_submitted = models.BooleanField()
    m_plans_approved = models.BooleanField()
    m_enrolled = models.BooleanField()
    m_completed = models.BooleanField()
    m_results_completed = models.BooleanField()


class UnitEnrolments(UnitSummary):
    """The enrolments (status "enrolled") at a unit that year of one module or content topic, completed
    or not, and for the completed ones the month their completion was recorded (NULL: no date)."""

    programme = models.CharField(max_length=4)
    module = models.ForeignKey(
        "catalog.Module", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    content_title = models.CharField(max_length=500, blank=True)
    completed = models.BooleanField()
    month = models.DateField(null=True)
