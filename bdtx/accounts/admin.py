from django.contrib import admin

from bdtx.accounts.models import RoleAssignment
from bdtx.core.admin import ReadOnlyAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):  # roles are given and taken through role_assign/role_revoke
    list_display = ["user", "role", "unit", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "unit__name", "unit__code"]
    raw_id_fields = ["user", "unit"]
