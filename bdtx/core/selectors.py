"""Reads shared by every app: the audit log in the viewer's scope."""

from django.db.models import QuerySet
from django.utils import timezone

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope


def audit_list(*, scope: Scope, object_uuid: str | None = None, action: str | None = None) -> QuerySet[AuditLog]:
    """Audit entries about objects inside the subtrees where the viewer may read the audit log."""
    qs = AuditLog.objects.visible_to(scope, Perm.AUDIT_VIEW).select_related("actor")
    if object_uuid:
        qs = qs.filter(object_uuid=object_uuid)
    if action:
        qs = qs.filter(action__startswith=action)
    return qs


def school_year_current() -> SchoolYear:
    """The school year containing today (years are seeded by a data migration)."""
    return SchoolYear.objects.get(start_year=SchoolYear.for_date(timezone.localdate()))


def school_year_list() -> list[SchoolYear]:
    return list(SchoolYear.objects.all())
