"""Demo yearly results reports: the previous school year in Cao Bằng was reported up the tree —
every school of the demo commune (the demo principal's among them) filed its results report in
June, the commune (`xa`) accepted them and filed its own to the Sở, which has not decided yet. The
current year has nothing filed, so a journey can file it.

The reports go through the real services (`year_report_file` / `year_report_accept`, as each unit's
own accounts where the demo has them, else the system), then their dates are set back to June of
that year (the demo is loaded later). Idempotent: a year with reports is left as it is."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM, Scope
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import ACCOUNT_COMMUNE, ACCOUNT_SCHOOL
from bdtx.demo.results import _at
from bdtx.organisations.models import Unit
from bdtx.plans.unit.selectors import children_in_year
from bdtx.yearreports.models import YearReport, YearReportEvent
from bdtx.yearreports.services import year_report_accept, year_report_file


def _scope(username: str) -> Scope:
    user = User.objects.filter(username=username).first()
    return scope_for_user(user) if user else SYSTEM


@transaction.atomic
def year_reports_demo_load() -> int:
    """File the previous year's results reports of the demo commune and its schools; returns how many."""
    year = SchoolYear.of(school_year_current().start_year - 1)
    commune = Unit.objects.filter(code=ACCOUNT_COMMUNE).first()
    if commune is None or YearReport.objects.filter(school_year=year, unit__path__startswith=commune.path).exists():
        return 0
    office = _scope("xa")
    filed = _at(year, 6, 10)
    reports = []
    for school in children_in_year(unit=commune, school_year=year):
        who = _scope("hieutruong") if school.code == ACCOUNT_SCHOOL else SYSTEM
        report = year_report_file(scope=who, unit=school, school_year=year)
        reports.append(year_report_accept(scope=office, report=report))
    reports.append(year_report_file(scope=office, unit=commune, school_year=year))
    for i, r in enumerate(reports):
        on = filed + timedelta(days=i // 4)  # a few schools a day, then the commune
        decided = on + timedelta(days=3) if r.decided_at else None
        YearReport.objects.filter(pk=r.pk).update(filed_at=on, decided_at=decided)
        for e in YearReportEvent.objects.filter(report=r):
            YearReportEvent.objects.filter(pk=e.pk).update(at=decided if e.action.endswith("accept") else on)
    return len(reports)
