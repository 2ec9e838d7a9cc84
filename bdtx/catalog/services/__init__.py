"""Writes of the catalog app, one module per entity: programme content, focus modules, learning
materials, modules and catalogs, the periods provinces give modules. Every service checks the
scope it is given."""

from bdtx.catalog.services.content import (
    CONTENT_FIELDS,
    PROGRAMME_UNIT_KIND,
    content_create,
    content_delete,
    content_update,
)
from bdtx.catalog.services.focus import focus_module_add, focus_module_remove
from bdtx.catalog.services.local_hours import MAX_MODULE_HOURS, module_local_hours_clear, module_local_hours_set
from bdtx.catalog.services.materials import material_add, material_remove
from bdtx.catalog.services.modules import (
    CATALOG_FIELDS,
    MODULE_FIELDS,
    ModuleRow,
    NewVersion,
    catalog_new_version_check,
    catalog_update,
    module_bulk_upsert,
    module_update,
)

__all__ = [
    "CATALOG_FIELDS",
    "CONTENT_FIELDS",
    "MAX_MODULE_HOURS",
    "MODULE_FIELDS",
    "PROGRAMME_UNIT_KIND",
    "ModuleRow",
    "NewVersion",
    "catalog_new_version_check",
    "catalog_update",
    "content_create",
    "content_delete",
    "content_update",
    "focus_module_add",
    "focus_module_remove",
    "material_add",
    "material_remove",
    "module_bulk_upsert",
    "module_local_hours_clear",
    "module_local_hours_set",
    "module_update",
]
