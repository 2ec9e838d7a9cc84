from django.contrib import admin

from bdtx.catalog.models import Catalog, FocusModule, Material, Module, ProgrammeContent


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["code", "title", "hours_total", "hours_theory", "hours_practice", "confidence", "active"]
    show_change_link = True


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "circular", "audience", "first_year", "last_year"]
    readonly_fields = ["uuid"]
    inlines = [ModuleInline]


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "catalog", "audience", "hours_total", "confidence", "active"]
    list_filter = ["catalog", "audience", "confidence", "active"]
    search_fields = ["search_text"]
    filter_horizontal = ["criteria"]
    readonly_fields = ["uuid", "search_text"]
    inlines = [MaterialInline]


@admin.register(ProgrammeContent)
class ProgrammeContentAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "unit", "school_year", "school_level", "audience", "hours"]
    list_filter = ["programme", "school_year", "school_level"]
    raw_id_fields = ["unit"]


@admin.register(FocusModule)
class FocusModuleAdmin(admin.ModelAdmin):
    list_display = ["module", "unit", "school_year", "school_level", "priority"]
    list_filter = ["school_year"]
    raw_id_fields = ["unit", "module"]
