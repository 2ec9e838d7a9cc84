"""Reads of the import app, always through the viewer's scope."""

from django.db.models import QuerySet

from bdtx.core.scope import Perm, Scope
from bdtx.imports.models import ImportJob
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.models import Ethnicity

TEMPLATE_UNIT_LIMIT = 5000


def import_job_list(*, scope: Scope) -> QuerySet[ImportJob]:
    """Import jobs of the units where the viewer may import, newest first."""
    return (
        ImportJob.objects.visible_to(scope, Perm.PEOPLE_IMPORT)
        .select_related("unit", "created_by")
        .defer("errors", "columns", "ignored_columns")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, scope: Scope, uuid: str) -> ImportJob:
    """One job inside the viewer's scope (ImportJob.DoesNotExist → 404); the caller checks the permission."""
    return ImportJob.objects.visible_to(scope).select_related("unit", "created_by", "school_year").get(uuid=uuid)


def import_unit_choices(*, scope: Scope) -> QuerySet[Unit]:
    """Units the viewer may import staff into: their own units and everything below them."""
    return (
        Unit.objects.visible_to(scope, Perm.PEOPLE_IMPORT)
        .filter(dissolved_on__isnull=True)
        .exclude(kind=UnitKind.INSTITUTION)
        .order_by("depth", "name")
    )


def import_template_units(*, scope: Scope) -> list[tuple[str, str]]:
    """(code, name) of the schools and centres the viewer may import into, for the template."""
    qs = (
        import_unit_choices(scope=scope)
        .filter(kind__in=[UnitKind.SCHOOL, UnitKind.CENTRE])
        .order_by("code")
        .values_list("code", "name")
    )
    return list(qs[:TEMPLATE_UNIT_LIMIT])


def ethnicity_list() -> list[tuple[str, str]]:
    """(code, name) of the 54 ethnic groups."""
    return list(Ethnicity.objects.order_by("code").values_list("code", "name"))
