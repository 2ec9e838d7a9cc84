from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from bdtx.core.admin import ReadOnlyAdmin
from bdtx.regimes.models import HoursShift, Regime
from bdtx.regimes.services import regime_validate


class RegimeAdminForm(forms.ModelForm):
    class Meta:
        model = Regime
        fields = [
            "code",
            "name",
            "legal_source",
            "first_year",
            "last_year",
            "total_hours",
            "bd01_hours",
            "bd02_hours",
            "bd03_hours",
            "shiftable_01_02",
            "pass_mark",
            "result_categories",
            "grading",
            "notes",
        ]

    def clean(self):
        data = super().clean()
        try:
            regime_validate(data, exclude_pk=self.instance.pk)
        except ValidationError as e:
            for field, messages in e.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Regime)
class RegimeAdmin(ReadOnlyAdmin):  # regimes change on the regimes pages (regime_update, audited)
    form = RegimeAdminForm
    list_display = ["code", "name", "first_year", "last_year", "bd01_hours", "bd02_hours", "bd03_hours", "pass_mark"]
    readonly_fields = ["uuid"]


@admin.register(HoursShift)
class HoursShiftAdmin(ReadOnlyAdmin):
    list_display = ["unit", "school_year", "bd01_hours", "bd02_hours", "decision"]
    list_filter = ["school_year"]
    raw_id_fields = ["unit"]
