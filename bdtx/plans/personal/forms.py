from datetime import date, datetime
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.plans.models import Form, PlanStatus
from bdtx.plans.personal.selectors import MISSING


class MonthField(forms.CharField):
    """A month as the browser's <input type="month"> sends it ('2026-10'), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "yyyy-mm"})

    def to_python(self, value: object) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        for fmt in ("%Y-%m", "%m/%Y"):
            try:
                return datetime.strptime(text.strip(), fmt).date().replace(day=1)
            except ValueError:
                continue
        raise forms.ValidationError(_("Enter a month as mm/yyyy."))

    def prepare_value(self, value: object) -> object:
        return value.strftime("%Y-%m") if isinstance(value, date) else value


class PlanItemForm(BootstrapFormMixin, forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    start_month = MonthField(label=_("From (month)"), required=False)
    end_month = MonthField(label=_("To (month)"), required=False)


class ModuleAddForm(PlanItemForm):
    module = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class DecisionForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


STATUS_CHOICES = [("", _("All statuses")), *PlanStatus.choices, (MISSING, _("No plan yet"))]


class PlanFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    late = forms.ChoiceField(
        label=_("Deadline"), choices=[("", _("On time or late")), ("1", _("Late only"))], required=False
    )
    group = forms.ChoiceField(
        label=_("Show"), choices=[("", _("List of people")), ("unit", _("Counts by school"))], required=False
    )
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, years: list[tuple[int, str]], units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["year"]).choices = years
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All units in my scope")), *units]
