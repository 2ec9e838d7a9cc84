from django import forms

from bdtx.core.forms import BootstrapFormMixin
from bdtx.organisations.models import Unit


class LetterheadForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["governing_body", "document_name", "document_abbr", "signer_title", "signer_name"]
