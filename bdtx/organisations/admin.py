from django.contrib import admin

from bdtx.core.admin import ReadOnlyAdmin, ReadOnlyInline
from bdtx.organisations.models import Unit, UnitPlacement


class PlacementInline(ReadOnlyInline):
    model = UnitPlacement
    fk_name = "unit"
    readonly_fields = ["parent", "path", "valid_from", "valid_to", "note"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):  # units change through unit_create/unit_update/unit_move (paths, placements, audit)
    list_display = ["code", "name", "kind", "levels", "difficult_area", "dissolved_on"]
    list_filter = ["kind", "difficult_area", "ownership", "school_type"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth", "parent", "uuid"]
    inlines = [PlacementInline]
