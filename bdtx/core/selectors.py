"""Reads shared by every app: the audit log in the viewer's scope."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.search import search_q

SENSITIVE_READ = "sensitive.read"


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log page filters by. `reads`: "" the changes only (the default: reads of
    sensitive data would drown them), "only" the reads only, "all" both."""

    object_uuid: str | None = None
    action: str = ""
    who: str = ""  # part of the user name or of the person's name, diacritics ignored
    since: date | None = None
    until: date | None = None
    reads: str = ""


def audit_list(*, scope: Scope, f: AuditFilter | None = None) -> QuerySet[AuditLog]:
    """Audit entries about objects inside the subtrees where the viewer may read the audit log."""
    f = f or AuditFilter()
    qs = AuditLog.objects.visible_to(scope, Perm.AUDIT_VIEW).select_related("actor", "actor__person")
    if f.object_uuid:
        qs = qs.filter(object_uuid=f.object_uuid)
    if f.action:
        qs = qs.filter(action__startswith=f.action)
    if f.reads == "only":
        qs = qs.filter(action=SENSITIVE_READ)
    elif f.reads != "all" and f.action != SENSITIVE_READ:
        qs = qs.exclude(action=SENSITIVE_READ)
    if f.who:
        qs = qs.filter(search_q(f.who, "actor__username__icontains", "actor__person__search_text"))
    if f.since:
        qs = qs.filter(at__date__gte=f.since)
    if f.until:
        qs = qs.filter(at__date__lte=f.until)
    return qs


def school_year_current() -> SchoolYear:
    """The school year containing today (years are seeded by a data migration)."""
    return SchoolYear.objects.get(start_year=SchoolYear.for_date(timezone.localdate()))


def school_year_list() -> list[SchoolYear]:
    return list(SchoolYear.objects.all())
