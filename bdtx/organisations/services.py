"""Writes to the organisation tree. Each checks the scope's right to manage units, runs in a
transaction and leaves an audit entry."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.core.text import nfc
from bdtx.organisations.models import Unit, UnitKind, UnitPlacement

EPOCH = date(1945, 8, 28)  # the ministry's founding: placements of seeded units start here

UNIT_FIELDS = [
    "name",
    "short_name",
    "code",
    "kind",
    "levels",
    "ownership",
    "school_type",
    "difficult_area",
    "address",
    "phone",
    "email",
    "dissolved_on",
]


# A training institution belongs to the authority that contracts it for BDTX courses: a Sở, or the
# ministry for national ones. It is managed (and its accounts given) from there.
INSTITUTION_PARENT_KINDS = (UnitKind.DEPARTMENT, UnitKind.MINISTRY)


def _check_parent_kind(*, kind: str, parent: Unit | None) -> None:
    if kind == UnitKind.INSTITUTION and (parent is None or parent.kind not in INSTITUTION_PARENT_KINDS):
        raise ValidationError(
            _("A training institution belongs to the Department of Education or the ministry that contracts it.")
        )


@transaction.atomic
def unit_create(
    *,
    scope: Scope,
    kind: str,
    name: str,
    code: str,
    parent: Unit | None,
    valid_from: date = EPOCH,
    levels: list[str] | tuple[str, ...] = (),
    source: str = "web",
    **fields: object,
) -> Unit:
    """Create a unit under `parent` (None only for the ministry; a training institution under the
    Sở or the ministry that contracts it).

    Needs UNITS_MANAGE over the parent (over the whole tree for a unit without a parent).
    """
    if not scope.has(Perm.UNITS_MANAGE, parent.path if parent else "/"):
        raise PermissionDenied
    if parent is None and kind != UnitKind.MINISTRY:
        raise ValidationError(_("Only the ministry can stand without a parent unit."))
    _check_parent_kind(kind=kind, parent=parent)
    unit = Unit(kind=kind, name=name, code=code, parent=parent, path="/", levels=Unit.format_levels(levels), **fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.depth = parent.depth + 1 if parent else 0
    unit.save(update_fields=["path", "depth"])
    UnitPlacement.objects.create(unit=unit, parent=parent, path=unit.path, valid_from=valid_from)
    audit_record(
        actor_id=scope.user_id,
        action="unit.create",
        obj=unit,
        unit_path=unit.path,
        source=source,
        changes={k: [None, v] for k, v in snapshot(unit, UNIT_FIELDS).items() if v not in ("", None)},
    )
    return unit


@transaction.atomic
def unit_update(*, scope: Scope, unit: Unit, **changes: object) -> Unit:
    """Change a unit's own attributes (not its place in the tree: see `unit_move`). Needs UNITS_MANAGE over it."""
    scope.require(Perm.UNITS_MANAGE, unit.path)
    before = snapshot(unit, UNIT_FIELDS)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise ValueError(f"unit_update cannot change {name}")
        setattr(unit, name, value)
    unit.full_clean()
    unit.save()
    if unit.dissolved_on and not before["dissolved_on"]:
        # A dissolved unit leaves the tree that day; its history stays in the closed placements.
        UnitPlacement.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=unit.dissolved_on)
    audit_record(
        actor_id=scope.user_id,
        action="unit.update",
        obj=unit,
        unit_path=unit.path,
        changes=diff(before, snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_move(*, scope: Scope, unit: Unit, new_parent: Unit, effective: date, note: str = "") -> Unit:
    """Re-parent `unit` (and its whole subtree) from `effective` on.

    The placements in force close the day before and new ones open, so reports for earlier
    school years keep rolling up through the old parent. Needs UNITS_MANAGE over the unit and
    over its new parent.
    """
    scope.require(Perm.UNITS_MANAGE, unit.path)
    scope.require(Perm.UNITS_MANAGE, new_parent.path)
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("A unit cannot be moved under itself or one of its own units."))
    _check_parent_kind(kind=unit.kind, parent=new_parent)
    if unit.parent_id == new_parent.pk:
        return unit
    old_prefix = unit.path
    new_prefix = f"{new_parent.path}{unit.pk}/"
    subtree = list(Unit.objects.within(old_prefix).select_for_update())
    current = UnitPlacement.objects.filter(unit__in=subtree, valid_to__isnull=True)
    if current.filter(valid_from__gte=effective).exists():
        raise ValidationError(_("The unit already has a placement starting on or after that date."))
    current.update(valid_to=effective)
    old_parent = unit.parent
    placements = []
    for u in subtree:
        u.path = new_prefix + u.path[len(old_prefix) :]
        u.depth = u.path.count("/") - 2
        if u.pk == unit.pk:
            u.parent = new_parent
        placements.append(
            UnitPlacement(
                unit=u, parent=new_parent if u.pk == unit.pk else u.parent, path=u.path, valid_from=effective, note=note
            )
        )
    Unit.objects.bulk_update(subtree, ["path", "depth", "parent"], batch_size=500)
    UnitPlacement.objects.bulk_create(placements, batch_size=500)
    unit.refresh_from_db()
    audit_record(
        actor_id=scope.user_id,
        action="unit.move",
        obj=unit,
        unit_path=unit.path,
        note=note,
        changes={"parent": [str(old_parent), str(new_parent)], "effective": [None, effective.isoformat()]},
    )
    return unit


LETTERHEAD_FIELDS = ["governing_body", "document_name", "document_abbr", "signer_title", "signer_name"]


@transaction.atomic
def unit_letterhead_update(*, scope: Scope, unit: Unit, **fields: str) -> Unit:
    """Set how the unit heads and signs its documents (empty lines follow its kind). Its own
    managers (PEOPLE_MANAGE held at the unit) or an authority managing units over it."""
    if not (scope.has(Perm.UNITS_MANAGE, unit.path) or scope.holds_at(Perm.PEOPLE_MANAGE, unit)):
        raise PermissionDenied
    if unknown := set(fields) - set(LETTERHEAD_FIELDS):
        raise ValueError(f"not letterhead fields: {sorted(unknown)}")
    before = snapshot(unit, LETTERHEAD_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, nfc(value).strip())
    unit.save(update_fields=[*fields, "updated_at"])
    if changes := diff(before, snapshot(unit, LETTERHEAD_FIELDS)):
        audit_record(actor_id=scope.user_id, action="unit.letterhead", obj=unit, unit_path=unit.path, changes=changes)
    return unit
