"""Reads of Biểu 3 reports: a report in the viewer's scope, a unit's reports of a year, the modules
a report may choose, and its figures (`bdtx.bieu3.figures`)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from bdtx.bieu3.figures import Figures, Selection, bieu3_figures
from bdtx.bieu3.models import Bieu3Report
from bdtx.bieu3.services import REPORTING_KINDS
from bdtx.catalog.models import Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import units_under_on
from bdtx.people.models import Audience, Employment
from bdtx.plans.models import PlanItem, PlanStatus
from bdtx.summaries.models import RefreshJob
from bdtx.summaries.services import ensure_fresh
from bdtx.training.models import Cohort


def bieu3_get(*, scope: Scope, uuid: str) -> Bieu3Report:
    """A report in the viewer's scope (DoesNotExist outside it: a 404)."""
    return (
        Bieu3Report.objects.visible_to(scope)
        .select_related("unit", "school_year", "created_by", "updated_by")
        .get(uuid=uuid)
    )


def bieu3_list(*, scope: Scope, unit: Unit, school_year: SchoolYear) -> QuerySet[Bieu3Report]:
    """The unit's reports of the year, with their modules."""
    return (
        Bieu3Report.objects.visible_to(scope, Perm.REPORTS_VIEW)
        .filter(unit=unit, school_year=school_year)
        .select_related("unit", "school_year", "updated_by")
        .prefetch_related("modules")
    )


def default_unit(*, scope: Scope) -> Unit | None:
    """The highest office (or Sở) where the viewer may see reports: where the list opens."""
    return reporting_units(scope=scope).first()


def reporting_units(*, scope: Scope) -> QuerySet[Unit]:
    """The offices and Sở whose reports the viewer may see, the highest first."""
    return (
        Unit.objects.visible_to(scope, Perm.REPORTS_VIEW)
        .filter(kind__in=REPORTING_KINDS)
        .active()
        .order_by("depth", "name")
    )


PRESCHOOL_AUDIENCES = (Audience.GVMN, Audience.QLMN)


def module_choices(*, unit: Unit, school_year: SchoolYear, preschool: bool | None = None) -> QuerySet[Module]:
    """The programme 03 modules the unit's subtree used that year: in approved personal plans of its
    people (employed in the subtree of that year's tree), or taught by cohorts it organised; with
    `preschool`, only the modules of that audience."""
    units = units_under_on(unit=unit, day=school_year.ends_on)
    posts = Employment.objects.filter(person=OuterRef("plan__person"), school_year=school_year, unit__in=units)
    planned = PlanItem.objects.filter(
        plan__status=PlanStatus.APPROVED, plan__school_year=school_year, module__isnull=False
    ).filter(Exists(posts))
    taught = Cohort.objects.filter(organiser__in=units, school_year=school_year, module__isnull=False)
    modules = Module.objects.filter(Q(pk__in=planned.values("module")) | Q(pk__in=taught.values("module")))
    if preschool is not None:
        preschool_q = Q(audience__in=PRESCHOOL_AUDIENCES)
        modules = modules.filter(preschool_q if preschool else ~preschool_q)
    return modules.select_related("catalog").order_by("code", "pk")


def report_modules(report: Bieu3Report) -> list[Module]:
    return list(report.modules.order_by("code", "pk"))


def report_figures(
    report: Bieu3Report, modules: list[Module] | None = None, *, wait: bool = True
) -> Figures | RefreshJob:
    """The figures of sections II, III and V of the report, as the data stand now; without `wait`,
    the background job bringing the subtree's summaries up to date when many units changed."""
    modules = report_modules(report) if modules is None else modules
    selection = Selection(
        unit=report.unit,
        school_year=report.school_year,
        period_from=report.period_from,
        period_to=report.period_to,
        module_ids=tuple(m.pk for m in modules),
        preschool=report.preschool,
    )
    job = ensure_fresh(unit=report.unit, school_year=report.school_year, units=selection.units, wait=wait)
    if job is not None:
        return job
    return bieu3_figures(selection=selection, modules=modules, fresh=True)
