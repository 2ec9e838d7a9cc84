"""The standards, their rating rules and the assessments are shown read-only: they change through
the pages (/standards/frameworks/, the criteria import), which check the permission and audit them."""

from django.contrib import admin

from bdtx.core.admin import ReadOnlyAdmin, ReadOnlyInline
from bdtx.standards.models import Assessment, Criterion, CriterionRating, Framework, RatingRule, Standard


class RatingRuleInline(ReadOnlyInline):
    model = RatingRule
    readonly_fields = ["result", "min_all", "share_level", "share_numerator", "share_denominator", "key_min", "source"]


class StandardInline(ReadOnlyInline):
    model = Standard
    readonly_fields = ["number", "title"]


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "circular", "audience", "first_year", "last_year"]
    readonly_fields = ["uuid"]
    inlines = [StandardInline, RatingRuleInline]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "standard", "is_key", "confidence"]
    list_filter = ["standard__framework", "is_key", "confidence"]
    search_fields = ["title", "source"]
    list_select_related = ["standard", "standard__framework"]
    ordering = ["standard__framework__code", "number"]


class CriterionRatingInline(ReadOnlyInline):
    model = CriterionRating
    readonly_fields = ["criterion", "self_level", "principal_level", "evidence_text", "evidence_link", "evidence_file"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["person", "school_year", "unit", "framework", "status", "self_result", "principal_result", "source"]
    list_filter = ["school_year", "status", "source", "framework"]
    search_fields = ["person__search_text"]
    list_select_related = ["person", "unit", "framework"]
    raw_id_fields = ["person", "unit", "evaluated_by"]
    readonly_fields = ["uuid", "self_result", "principal_result", "submitted_at", "evaluated_at"]
    inlines = [CriterionRatingInline]
