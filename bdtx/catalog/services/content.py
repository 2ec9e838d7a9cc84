"""Writes of programme 01 and 02 content: the ministry's and each Sở's topics of a year."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bdtx.catalog.models import ProgrammeContent
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.core.text import nfc
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.people.models import Audience
from bdtx.regimes.models import Programme

PROGRAMME_UNIT_KIND: dict[str, str] = {Programme.BD01: UnitKind.MINISTRY, Programme.BD02: UnitKind.DEPARTMENT}


CONTENT_FIELDS = ["title", "hours", "audience", "school_level", "description", "position"]


def _content_rights(scope: Scope, unit: Unit, programme: str) -> None:
    """Programme 01 is the ministry's, programme 02 a province's; only the unit's own staff write it."""
    if PROGRAMME_UNIT_KIND.get(programme) != unit.kind:
        raise ValidationError(
            _("Programme 01 content is set by the ministry, programme 02 content by a provincial department.")
        )
    if not scope.holds_at(Perm.CONTENT_MANAGE, unit):
        raise PermissionDenied


def _content_clean(fields: dict[str, Any]) -> dict[str, Any]:
    data = dict(fields)
    if "title" in data:
        data["title"] = nfc(data["title"])
        if not data["title"]:
            raise ValidationError({"title": _("Give the topic a title.")})
    if "description" in data:
        data["description"] = (data["description"] or "").strip()
    if "hours" in data and (data["hours"] is None or not 0 < int(data["hours"]) <= 120):
        raise ValidationError({"hours": _("A topic has from 1 to 120 periods.")})
    if data.get("audience") and data["audience"] not in Audience.values:
        raise ValidationError({"audience": _("Unknown audience.")})
    if data.get("school_level") and data["school_level"] not in SchoolLevel.values:
        raise ValidationError({"school_level": _("Unknown school level.")})
    if not Audience.fits_level(data.get("audience", ""), data.get("school_level", "")):
        raise ValidationError({"audience": _("Preschool content is for preschool teachers and managers.")})
    return data


@transaction.atomic
def content_create(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    programme: str,
    title: str,
    hours: int,
    audience: str = "",
    school_level: str = "",
    description: str = "",
    position: int | None = None,
) -> ProgrammeContent:
    """A topic of programme 01 (by the ministry) or 02 (by a province) for one school year."""
    _content_rights(scope, unit, programme)
    year = school_year.pk
    data = _content_clean(
        {"title": title, "hours": hours, "audience": audience, "school_level": school_level, "description": description}
    )
    if position is None:
        last = ProgrammeContent.objects.filter(unit=unit, school_year_id=year, programme=programme).aggregate(
            m=Max("position")
        )["m"]
        position = (last or 0) + 1
    item = ProgrammeContent.objects.create(
        unit=unit, school_year_id=year, programme=programme, position=position, **data
    )
    audit_record(
        actor_id=scope.user_id,
        action="content.create",
        obj=item,
        unit_path=unit.path,
        changes={k: [None, v] for k, v in snapshot(item, CONTENT_FIELDS).items()},
        note=f"{programme} {year}-{year + 1}",
    )
    return item


@transaction.atomic
def content_update(*, scope: Scope, item: ProgrammeContent, **fields: Any) -> ProgrammeContent:
    """Change a topic (its programme, unit and school year stay)."""
    item = ProgrammeContent.objects.select_for_update().select_related("unit").get(pk=item.pk)
    _content_rights(scope, item.unit, item.programme)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields: {sorted(unknown)}")
    before = snapshot(item, CONTENT_FIELDS)
    data = _content_clean({**before, **fields})
    for k in fields:
        setattr(item, k, data[k])
    item.save()
    changes = diff(before, snapshot(item, CONTENT_FIELDS))
    if changes:
        audit_record(
            actor_id=scope.user_id, action="content.update", obj=item, unit_path=item.unit.path, changes=changes
        )
    return item


@transaction.atomic
def content_delete(*, scope: Scope, item: ProgrammeContent) -> None:
    _content_rights(scope, item.unit, item.programme)
    audit_record(
        actor_id=scope.user_id,
        action="content.delete",
        obj=item,
        unit_path=item.unit.path,
        changes={k: [v, None] for k, v in snapshot(item, CONTENT_FIELDS).items()},
    )
    item.delete()
