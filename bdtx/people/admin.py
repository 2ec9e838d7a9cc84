from django.contrib import admin

from bdtx.people.models import Employment, Ethnicity, Person


@admin.register(Ethnicity)
class EthnicityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "aliases"]
    search_fields = ["name", "aliases"]


class EmploymentInline(admin.TabularInline):
    model = Employment
    extra = 0
    raw_id_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["family_name", "middle_name", "given_name", "gender", "date_of_birth"]
    search_fields = ["search_text", "personal_id"]
    raw_id_fields = ["user"]
    readonly_fields = ["uuid", "sort_key", "search_text"]
    inlines = [EmploymentInline]
