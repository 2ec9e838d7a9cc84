from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearReportsConfig(AppConfig):
    """The yearly BDTX results report up the tree (issue 11): each school files its year's figures,
    each level above aggregates its children and files to its parent by the deadline; filed reports
    are snapshots, decided (accepted or returned) by the parent, with a status board like plans'."""

    name = "bdtx.yearreports"
    label = "yearreports"
    verbose_name = _("Yearly results reports")
