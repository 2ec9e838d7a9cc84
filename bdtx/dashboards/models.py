"""The dashboards' summary of each unit and school year, kept current by the summaries app (a unit's
rows are deleted and written again when the data under it changes; `summary`). A dashboard sums the
rows of its subtree's units instead of reading their people and enrolments."""

from django.db import models


class UnitPeople(models.Model):
    """The people in scope at a unit that year sharing the same groups and measures (definitions in
    `selectors`): `n` of them."""

    id = models.BigAutoField(primary_key=True)
    school_year = models.ForeignKey(
        "core.SchoolYear", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    g_women = models.BooleanField()
    g_minority = models.BooleanField()
    g_minority_women = models.BooleanField()
    g_difficult = models.BooleanField()
    m_plans_submitted = models.BooleanField()
    m_plans_approved = models.BooleanField()
    m_enrolled = models.BooleanField()
    m_completed = models.BooleanField()
    m_results_completed = models.BooleanField()
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["school_year", "unit"], name="dashboards_people_unit")]


class UnitEnrolments(models.Model):
    """The enrolments (status "enrolled") at a unit that year of one module or content topic, completed
    or not, and for the completed ones the month their completion was recorded (NULL: no date)."""

    id = models.BigAutoField(primary_key=True)
    school_year = models.ForeignKey(
        "core.SchoolYear", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    programme = models.CharField(max_length=4)
    module = models.ForeignKey(
        "catalog.Module", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    content_title = models.CharField(max_length=500, blank=True)
    completed = models.BooleanField()
    month = models.DateField(null=True)
    n = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["school_year", "unit"], name="dashboards_enrolments_unit")]
