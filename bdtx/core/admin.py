"""Django's admin: a tool for the system's administrators, never a way around the services.

Models whose changes the services audit (people, employments, units, role assignments, imports,
assessments, catalogs, regimes, the audit log itself) are read-only here (`ReadOnlyAdmin`): they
change through the pages, whose services check the permission and write the audit entry. The admin
shows no ethnicity or ID number (`PersonAdmin`), so reading it needs no sensitive-read entry.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from bdtx.core.models import AuditLog, SchoolYear


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted (the services do that, with their audit entries)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["start_year", "starts_on", "ends_on"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_repr", "source"]
    list_filter = ["action", "source"]
    search_fields = ["object_repr", "actor__username"]
