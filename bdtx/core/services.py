"""Writes shared by every app: the audit entry that accompanies each change."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db import models

from bdtx.core.models import AuditLog


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    """Plain values of `fields`, for a before/after diff."""
    return {f: _plain(getattr(instance, f)) for f in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor_id: int | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_repr: str = "",
    unit_path: str = "",
    changes: dict[str, Any] | None = None,
    source: str = AuditLog.Source.WEB,
    note: str = "",
) -> AuditLog:
    """Write one audit entry. Call it inside the service's transaction."""
    return AuditLog.objects.create(
        actor_id=actor_id,
        action=action,
        source=source,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_uuid=getattr(obj, "uuid", None),
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:255],
        unit_path=unit_path,
        changes=changes or {},
        note=note[:255],
    )
