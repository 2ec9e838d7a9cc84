from django.contrib import admin
from django.http import HttpRequest

from bdtx.certificates.forms import IssuerAdminForm
from bdtx.certificates.models import Issuer, IssuerKey


class IssuerKeyInline(admin.TabularInline):
    model = IssuerKey
    fields = ("public_key", "created_at", "retired_at")
    readonly_fields = ("public_key", "created_at", "retired_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Issuer | None = None) -> bool:
        return False


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    """An issuer's layout (lines, signer, title, sizes, background), place and number format: adjusted
    here without code. The layout is checked as the renderer reads it."""

    form = IssuerAdminForm
    list_display = ["unit", "place", "number_format"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]
    inlines = [IssuerKeyInline]
