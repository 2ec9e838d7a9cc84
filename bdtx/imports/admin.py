from django.contrib import admin

from bdtx.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = [
        "original_filename",
        "kind",
        "unit",
        "school_year",
        "status",
        "valid_rows",
        "total_rows",
        "created_at",
    ]
    list_filter = ["kind", "status", "school_year"]
    list_select_related = ["unit"]
    search_fields = ["original_filename"]
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False
