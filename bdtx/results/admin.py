from django.contrib import admin

from bdtx.results.models import RecognitionRule


@admin.register(RecognitionRule)
class RecognitionRuleAdmin(admin.ModelAdmin):
    """Who recognises a province's school results, by school year: data an administrator sets when the
    province decides (no rule: the school's managing unit)."""

    list_display = ["province", "recogniser", "first_year", "last_year", "source"]
    list_filter = ["recogniser"]
    raw_id_fields = ["province"]
