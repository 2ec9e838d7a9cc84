"""Writes of the catalog app: programme content, focus modules, learning materials, modules and their
catalogs, and the modules of an imported catalog file. Each runs in a transaction, checks the
actor's right, writes audit."""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Catalog, Confidence, FocusModule, Material, Module, ProgrammeContent
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.core.text import nfc
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.organisations.selectors import require_national
from bdtx.people.models import Audience
from bdtx.regimes.models import Programme
from bdtx.standards.models import Criterion

PROGRAMME_UNIT_KIND: dict[str, str] = {Programme.BD01: UnitKind.MINISTRY, Programme.BD02: UnitKind.DEPARTMENT}
PRESCHOOL_AUDIENCES = {Audience.GVMN, Audience.QLMN}


def _level_fits_audience(level: str, audience: str) -> bool:
    if not level or not audience:
        return True
    return (level == SchoolLevel.MN) == (audience in PRESCHOOL_AUDIENCES)


# --- programme content -------------------------------------------------------------------------

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
    if not _level_fits_audience(data.get("school_level", ""), data.get("audience", "")):
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


# --- focus modules -----------------------------------------------------------------------------


@transaction.atomic
def focus_module_add(
    *,
    scope: Scope,
    unit: Unit,
    school_year: SchoolYear,
    module: Module,
    school_level: str = "",
    priority: int = 0,
) -> FocusModule:
    """A module the province wants its people of a level (or of every level) to take in programme 03."""
    if unit.kind != UnitKind.DEPARTMENT:
        raise ValidationError(_("Focus modules are chosen by a provincial department."))
    if not scope.holds_at(Perm.CONTENT_MANAGE, unit):
        raise PermissionDenied
    year = school_year.pk
    if not Module.objects.in_force(school_year).filter(pk=module.pk).exists():
        raise ValidationError(
            {
                "module": _("This module is not offered in the school year %(y)s-%(z)s.")
                % {
                    "y": year,
                    "z": year + 1,
                }
            }
        )
    if school_level and school_level not in SchoolLevel.values:
        raise ValidationError({"school_level": _("Unknown school level.")})
    if school_level and module.level_list and school_level not in module.level_list:
        raise ValidationError({"school_level": _("This module is not for that school level.")})
    if not _level_fits_audience(school_level, module.audience):
        raise ValidationError({"school_level": _("This module is not for that school level.")})
    if FocusModule.objects.filter(unit=unit, school_year_id=year, module=module, school_level=school_level).exists():
        raise ValidationError({"module": _("This module is already a focus module for that level and year.")})
    try:
        with transaction.atomic():
            focus = FocusModule.objects.create(
                unit=unit, school_year_id=year, module=module, school_level=school_level, priority=priority
            )
    except IntegrityError:
        raise ValidationError({"module": _("This module is already a focus module for that level and year.")})
    audit_record(
        actor_id=scope.user_id,
        action="focus_module.add",
        obj=focus,
        object_repr=f"{unit.name} {year}-{year + 1}: {module.code} {school_level}".strip(),
        unit_path=unit.path,
        changes={"module": [None, str(module)], "school_level": [None, school_level], "priority": [None, priority]},
    )
    return focus


@transaction.atomic
def focus_module_remove(*, scope: Scope, focus: FocusModule) -> None:
    if not scope.holds_at(Perm.CONTENT_MANAGE, focus.unit):
        raise PermissionDenied
    audit_record(
        actor_id=scope.user_id,
        action="focus_module.remove",
        obj=focus,
        object_repr=f"{focus.unit.name}: {focus.module.code} {focus.school_level}".strip(),
        unit_path=focus.unit.path,
        changes={"module": [str(focus.module), None]},
    )
    focus.delete()


# --- learning materials ------------------------------------------------------------------------


def material_unit_for(scope: Scope) -> Unit | None:
    """The unit a new material belongs to: the highest unit where the actor manages catalogs."""
    ids = scope.units_with(Perm.CATALOG_MANAGE)
    return Unit.objects.filter(pk=ids[0]).first() if ids else None


@transaction.atomic
def material_add(
    *,
    scope: Scope,
    module: Module,
    kind: str,
    title: str,
    url: str = "",
    upload: UploadedFile | None = None,
) -> Material:
    """A file, link or video for a module. The ministry's are for everyone, a province's for its people."""
    unit = material_unit_for(scope)
    if unit is None:
        raise PermissionDenied
    title = nfc(title)
    if not title:
        raise ValidationError({"title": _("Give the material a title.")})
    if kind not in Material.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of material.")})
    if kind == Material.Kind.FILE and upload is None:
        raise ValidationError({"file": _("Choose the file to upload.")})
    if kind == Material.Kind.LINK and not url:
        raise ValidationError({"url": _("Give the address of the link.")})
    if kind == Material.Kind.VIDEO and not url and upload is None:
        raise ValidationError({"url": _("Give the address of the video or upload it.")})
    if url and upload is not None:
        raise ValidationError({"url": _("Give either an address or a file, not both.")})
    last = Material.objects.filter(module=module).aggregate(m=Max("position"))["m"]
    material = Material(module=module, unit=unit, kind=kind, title=title, url=url, position=(last or 0) + 1)
    if upload is not None:
        name = (upload.name or "tai-lieu").rsplit("/", 1)[-1][:255]
        material.original_filename = name
        material.file.save(name, upload, save=False)
    material.save()
    audit_record(
        actor_id=scope.user_id,
        action="material.add",
        obj=material,
        object_repr=f"{module.code}: {title}",
        unit_path=unit.path,
        changes={"kind": [None, kind], "title": [None, title], "url": [None, url or material.original_filename]},
    )
    return material


@transaction.atomic
def material_remove(*, scope: Scope, material: Material) -> None:
    """Remove a material; its file leaves the storage once the removal is committed."""
    if not scope.has(Perm.CATALOG_MANAGE, material.unit.path):
        raise PermissionDenied
    audit_record(
        actor_id=scope.user_id,
        action="material.remove",
        obj=material,
        object_repr=f"{material.module.code}: {material.title}",
        unit_path=material.unit.path,
        changes={"title": [material.title, None]},
    )
    file = material.file
    material.delete()
    if file and file.name:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))


# --- modules and catalogs ----------------------------------------------------------------------

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


# --- catalog import (the rows come from `catalog.importers.CatalogImporter`) ---------------------


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
