from django.contrib import admin

from bdtx.core.models import AuditLog, SchoolYear


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["start_year", "starts_on", "ends_on"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_repr", "source"]
    list_filter = ["action", "source"]
    search_fields = ["object_repr", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
