import json

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.regimes.models import Regime

JSON_ATTRS = {"rows": 8, "class": "font-monospace small", "spellcheck": "false"}


class PrettyJSONField(forms.JSONField):
    """A JSON field shown indented, with Vietnamese letters as they are (not \\u escapes)."""

    def prepare_value(self, value: object) -> str:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:  # a new regime: an empty box, not the word "null"
            return ""
        return json.dumps(value, ensure_ascii=False, indent=2)


class RegimeForm(BootstrapFormMixin, forms.ModelForm):
    result_categories = PrettyJSONField(
        label=_("Result categories"),
        widget=forms.Textarea(attrs=JSON_ATTRS),
        help_text=_('A list: [{"code": "hoan_thanh", "label": "Hoàn thành kế hoạch BDTX", "completed": true}, …]'),
    )
    grading = PrettyJSONField(
        label=_("Grading formula"),
        required=False,
        widget=forms.Textarea(attrs=JSON_ATTRS),
        help_text=_(
            "Empty ({}) for a pass/fail regime. A graded regime lists its components, the thresholds from the "
            "highest category down and the category given otherwise (see TT 26/2012)."
        ),
    )

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
            "verification_note",
        ]
        widgets = {
            "legal_source": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "verification_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_grading(self):
        return self.cleaned_data.get("grading") or {}


class RegimeCreateForm(RegimeForm):
    close_previous = forms.BooleanField(
        required=False,
        initial=True,
        label=_("End the regime in force the school year before this one begins"),
    )


class HoursShiftForm(BootstrapFormMixin, forms.Form):
    bd01_hours = forms.IntegerField(label=_("Programme 01 periods"), min_value=0, max_value=999)
    bd02_hours = forms.IntegerField(label=_("Programme 02 periods"), min_value=0, max_value=999)
    decision = forms.CharField(
        label=_("Decision (number, date)"), required=False, max_length=255, help_text=_("E.g. QĐ 123/QĐ-SGDĐT")
    )
