"""Writes of module catalogs: a module or catalog corrected by hand, and the rows of a catalog import
(a new circular's catalog replacing the old one from its first year).
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Catalog, Confidence, Module
from bdtx.core.models import AuditLog
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.core.text import nfc
from bdtx.organisations.selectors import require_national
from bdtx.standards.models import Criterion

MODULE_FIELDS = [
    "title",
    "levels",
    "hours_total",
    "hours_theory",
    "hours_practice",
    "outcomes",
    "source",
    "confidence",
    "active",
]


CATALOG_FIELDS = ["name", "circular", "first_year", "last_year", "completeness_note"]


def _hours_consistent(total: int | None, theory: int | None, practice: int | None) -> bool:
    return None in (total, theory, practice) or (theory or 0) + (practice or 0) == total


@transaction.atomic
def module_update(*, scope: Scope, module: Module, criteria: list[Criterion] | None = None, **fields: Any) -> Module:
    """Correct a module by hand (national catalog management)."""
    unit = require_national(scope, Perm.CATALOG_MANAGE)
    module = Module.objects.select_for_update().get(pk=module.pk)
    unknown = set(fields) - set(MODULE_FIELDS)
    if unknown:
        raise TypeError(f"not module fields: {sorted(unknown)}")
    before = snapshot(module, MODULE_FIELDS)
    data = {**before, **fields}
    if not nfc(data["title"]):
        raise ValidationError({"title": _("The module title is missing.")})
    if not _hours_consistent(data["hours_total"], data["hours_theory"], data["hours_practice"]):
        raise ValidationError({"hours_total": _("Theory + practice periods must make the total.")})
    for k, v in fields.items():
        setattr(module, k, nfc(v) if k == "title" else v)
    module.save()
    changes = diff(before, snapshot(module, MODULE_FIELDS))
    if criteria is not None:
        old = sorted(str(c) for c in module.criteria.all())
        module.criteria.set(criteria)
        new = sorted(str(c) for c in criteria)
        if old != new:
            changes["criteria"] = [old, new]
    if changes:
        audit_record(actor_id=scope.user_id, action="module.update", obj=module, unit_path=unit.path, changes=changes)
    return module


@transaction.atomic
def catalog_update(*, scope: Scope, catalog: Catalog, **fields: Any) -> Catalog:
    """Change a catalog's name, circular, years or completeness note (national catalog management)."""
    unit = require_national(scope, Perm.CATALOG_MANAGE)
    catalog = Catalog.objects.select_for_update().get(pk=catalog.pk)
    unknown = set(fields) - set(CATALOG_FIELDS)
    if unknown:
        raise TypeError(f"not catalog fields: {sorted(unknown)}")
    before = snapshot(catalog, CATALOG_FIELDS)
    data = {**before, **fields}
    if data["last_year"] is not None and data["last_year"] < data["first_year"]:
        raise ValidationError({"last_year": _("The last school year cannot come before the first.")})
    for k, v in fields.items():
        setattr(catalog, k, v)
    catalog.save()
    changes = diff(before, snapshot(catalog, CATALOG_FIELDS))
    if changes:
        audit_record(actor_id=scope.user_id, action="catalog.update", obj=catalog, unit_path=unit.path, changes=changes)
    return catalog


@dataclass
class ModuleRow:
    """One checked module of an imported file: the values to write. A key is absent when its column
    is not in the file; `criteria` None when the file has no criteria column."""

    number: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    criteria: list[int] | None = None  # criterion ids


@dataclass(frozen=True)
class NewVersion:
    """A new circular's catalog to create from the file, replacing `catalog` from `first_year`."""

    code: str
    name: str
    circular: str
    first_year: int


def catalog_new_version_check(catalog: Catalog, new: NewVersion) -> None:
    """ValidationError by field unless `new` may replace `catalog` (a new code, a later first year)."""
    errors: dict[str, list[str]] = {}
    if not new.circular.strip():
        errors.setdefault("new_circular", []).append(_("Name the circular of the new catalog."))
    if not new.code.strip():
        errors.setdefault("new_code", []).append(_("Give the new catalog a code."))
    elif Catalog.objects.filter(code__iexact=new.code.strip()).exists():
        errors.setdefault("new_code", []).append(_("A catalog with this code exists already."))
    if new.first_year <= catalog.first_year:
        errors.setdefault("new_first_year", []).append(
            _("The new catalog starts after the one it replaces (%(y)s-%(z)s).")
            % {"y": catalog.first_year, "z": catalog.first_year + 1}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def module_bulk_upsert(
    *,
    scope: Scope,
    catalog: Catalog,
    rows: list[ModuleRow],
    new_version: NewVersion | None = None,
) -> tuple[int, int, Catalog]:
    """Create or update the modules of `rows` in `catalog` (or in a new version of it, which ends the
    old one the school year before), link their criteria, and audit each change as an import.

    Returns (created, updated, the catalog written to).
    """
    unit = require_national(scope, Perm.CATALOG_MANAGE)
    source = AuditLog.Source.IMPORT
    target = catalog
    if new_version is not None:
        old = Catalog.objects.select_for_update().get(pk=catalog.pk)
        catalog_new_version_check(old, new_version)
        target = Catalog.objects.create(
            code=new_version.code.strip(),
            name=nfc(new_version.name) or old.name,
            circular=nfc(new_version.circular),
            audience=old.audience,
            first_year=new_version.first_year,
        )
        audit_record(
            actor_id=scope.user_id,
            action="catalog.create",
            obj=target,
            unit_path=unit.path,
            source=source,
            changes={k: [None, v] for k, v in snapshot(target, ["code", "name", "circular", "first_year"]).items()},
        )
        before = snapshot(old, ["last_year"])
        if old.last_year is None or old.last_year >= target.first_year:
            old.last_year = target.first_year - 1
            old.save(update_fields=["last_year", "updated_at"])
            audit_record(
                actor_id=scope.user_id,
                action="catalog.update",
                obj=old,
                unit_path=unit.path,
                source=source,
                changes=diff(before, snapshot(old, ["last_year"])),
                note=_("replaced by %(c)s") % {"c": target.code},
            )
    existing = {m.code.upper(): m for m in Module.objects.filter(catalog=target)}
    creates: list[Module] = []
    updates: list[tuple[Module, dict[str, Any]]] = []
    touched: list[tuple[Module, ModuleRow]] = []
    for row in rows:
        module = existing.get(row.code.upper())
        values = dict(row.values)
        if module is None:
            values.setdefault("confidence", Confidence.VERIFIED)
            module = Module(catalog=target, code=row.code, **values)
            module.audience = target.audience
            module.search_text = Module.make_search_text(module.code, module.title)
            creates.append(module)
        else:
            before = snapshot(module, MODULE_FIELDS)
            for k, v in values.items():
                setattr(module, k, v)
            module.search_text = Module.make_search_text(module.code, module.title)
            module.updated_at = timezone.now()
            updates.append((module, before))
        touched.append((module, row))
    Module.objects.bulk_create(creates)
    if updates:
        fields = [*MODULE_FIELDS, "audience", "search_text", "updated_at"]
        Module.objects.bulk_update([m for m, _before in updates], fields)
    through = Module.criteria.through
    with_criteria = [(m, r.criteria) for m, r in touched if r.criteria is not None]
    linked = [m for m, _ids in with_criteria]
    old_links: dict[int, list[int]] = {}
    for module_id, criterion_id in through.objects.filter(module__in=linked).values_list("module_id", "criterion_id"):
        old_links.setdefault(module_id, []).append(criterion_id)
    if with_criteria:
        through.objects.filter(module__in=linked).delete()
        through.objects.bulk_create(
            [through(module_id=m.pk, criterion_id=c) for m, ids in with_criteria for c in dict.fromkeys(ids or [])]
        )
    created_ids = {m.pk for m in creates}
    for module, row in touched:
        if module.pk in created_ids:
            changes = {k: [None, v] for k, v in snapshot(module, MODULE_FIELDS).items() if v not in (None, "")}
            action = "module.create"
        else:
            before = next(b for m, b in updates if m is module)
            changes = diff(before, snapshot(module, MODULE_FIELDS))
            action = "module.update"
        if row.criteria is not None and sorted(old_links.get(module.pk, [])) != sorted(set(row.criteria)):
            changes["criteria"] = [sorted(old_links.get(module.pk, [])), sorted(set(row.criteria))]
        if changes or action == "module.create":
            audit_record(
                actor_id=scope.user_id, action=action, obj=module, unit_path=unit.path, source=source, changes=changes
            )
    return len(creates), len(updates), target
