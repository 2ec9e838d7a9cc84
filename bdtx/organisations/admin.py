from django.contrib import admin

from bdtx.organisations.models import Unit, UnitPlacement


class PlacementInline(admin.TabularInline):
    model = UnitPlacement
    fk_name = "unit"
    extra = 0
    readonly_fields = ["parent", "path", "valid_from", "valid_to", "note"]
    can_delete = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "levels", "difficult_area", "dissolved_on"]
    list_filter = ["kind", "difficult_area", "ownership", "school_type"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth", "parent", "uuid"]
    inlines = [PlacementInline]

    def has_add_permission(self, request):
        return False  # units are created through services so that paths and placements stay right
