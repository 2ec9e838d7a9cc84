from django.contrib import admin

from bdtx.core.admin import ReadOnlyAdmin, ReadOnlyInline
from bdtx.people.models import Employment, Ethnicity, Person


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "aliases"]
    search_fields = ["name", "aliases"]


class EmploymentInline(ReadOnlyInline):
    model = Employment


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """People change through the staff pages and imports (audited, scoped). Ethnicity and ID numbers
    are not shown here, nor searched: the person's page shows them to who may see them, and logs it."""

    list_display = ["family_name", "middle_name", "given_name", "gender", "date_of_birth"]
    search_fields = ["search_text"]
    exclude = ["ethnicity", "personal_id"]
    readonly_fields = ["uuid", "sort_key", "search_text", "search_given"]
    inlines = [EmploymentInline]
