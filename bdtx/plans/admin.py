from django.contrib import admin

from bdtx.plans.models import DeadlineDefault


@admin.register(DeadlineDefault)
class DeadlineDefaultAdmin(admin.ModelAdmin):
    """The regulation's default deadlines: data an administrator corrects or extends when a circular
    changes them (authorities' own dates are set on the deadlines page, with its checks)."""

    list_display = ["kind", "day", "month", "year_offset", "first_year", "last_year", "source"]
    list_filter = ["kind"]
