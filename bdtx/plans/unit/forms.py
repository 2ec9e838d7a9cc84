from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin


class UnitPlanSubmitForm(BootstrapFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=64,
        help_text=_("As in the register of outgoing documents, e.g. 12/KH-THNH."),
    )
    incomplete_ok = forms.BooleanField(label=_("Submit it incomplete"), required=False)


class UnitPlanDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return for changes"))])
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
