from django.contrib import admin

from bdtx.catalog.models import Catalog, FocusModule, Material, Module, ProgrammeContent
from bdtx.core.admin import ReadOnlyAdmin, ReadOnlyInline

# Catalogs, modules, materials and programme content change through the catalog pages (audited).


class ModuleInline(ReadOnlyInline):
    model = Module
    fields = ["code", "title", "hours_total", "hours_theory", "hours_practice", "confidence", "active"]
    show_change_link = True


@admin.register(Catalog)
class CatalogAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "circular", "audience", "first_year", "last_year"]
    readonly_fields = ["uuid"]
    inlines = [ModuleInline]


class MaterialInline(ReadOnlyInline):
    model = Material
    raw_id_fields = ["unit"]


@admin.register(Module)
class ModuleAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "catalog", "audience", "hours_total", "confidence", "active"]
    list_filter = ["catalog", "audience", "confidence", "active"]
    search_fields = ["search_text"]
    filter_horizontal = ["criteria"]
    readonly_fields = ["uuid", "search_text"]
    inlines = [MaterialInline]


@admin.register(ProgrammeContent)
class ProgrammeContentAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme", "unit", "school_year", "school_level", "audience", "hours"]
    list_filter = ["programme", "school_year", "school_level"]
    raw_id_fields = ["unit"]


@admin.register(FocusModule)
class FocusModuleAdmin(ReadOnlyAdmin):
    list_display = ["module", "unit", "school_year", "school_level", "priority"]
    list_filter = ["school_year"]
    raw_id_fields = ["unit", "module"]
