"""Reads of the import app, always through the viewer's scope."""

from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from bdtx.core.importing import base as importing
from bdtx.core.importing.base import Importer
from bdtx.core.scope import Scope, path_within_q
from bdtx.imports.models import ImportJob


def importers_for(*, scope: Scope) -> list[Importer[Any, Any]]:
    """The kinds of import the viewer may upload (their upload pages answer 200)."""
    return [i for i in importing.all() if i.may_import(scope)]


def may_import_anything(*, scope: Scope) -> bool:
    """Whether the viewer may upload some kind of file (the cheap checks first)."""
    return any(i.may_import(scope) for i in importing.all())


def import_job_list(*, scope: Scope, kind: str | None = None) -> QuerySet[ImportJob]:
    """Jobs of every kind (or of `kind`) in the units where the viewer holds that kind's permission, newest first."""
    q = Q(pk__in=[])
    for importer in importing.all():
        if kind is None or importer.key == kind:
            paths = scope.paths(importer.permission)
            q |= Q(kind=importer.key) & path_within_q("unit__path", paths, connection.vendor)
    return (
        ImportJob.objects.filter(q)
        .select_related("unit", "created_by__person")
        .defer("problems", "columns", "ignored_columns", "timings")
        .order_by("-created_at", "-id")
    )


def import_job_get(*, scope: Scope, uuid: str) -> ImportJob:
    """One job inside the viewer's scope (ImportJob.DoesNotExist → 404); the caller checks the permission."""
    return (
        ImportJob.objects.visible_to(scope).select_related("unit", "created_by__person", "school_year").get(uuid=uuid)
    )
