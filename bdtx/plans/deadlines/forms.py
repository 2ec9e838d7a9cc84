from collections.abc import Sequence
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.plans.models import DeadlineKind


class DeadlineForm(BootstrapFormMixin, forms.Form):
    unit = forms.ChoiceField(label=_("For the subtree of"))
    kind = forms.ChoiceField(label=_("What"), choices=DeadlineKind.choices)
    due_on = forms.DateField(
        label=_("Due on"), input_formats=["%Y-%m-%d", "%d/%m/%Y"], widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.CharField(label=_("Set by (document number, date)"), required=False, max_length=255)

    def __init__(self, *args, units: list[tuple[str, str]], kinds: Sequence[tuple[str, object]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
