from django.contrib import admin

from bdtx.core.admin import ReadOnlyAdmin
from bdtx.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
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
    # The problems hold the values of the cells (ID numbers, ethnicity) and the file holds the whole
    # list: both are read on the import's page, which checks the permission and logs the read.
    exclude = ["problems", "file"]
