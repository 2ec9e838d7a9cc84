"""Forms of Biểu 3: a new report (period, modules, audience) and its text sections."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.bieu3.models import TEXT_SECTIONS, Audience
from bdtx.bieu3.selectors import PRESCHOOL_AUDIENCES
from bdtx.catalog.models import Module
from bdtx.core.forms import DATE_FORMATS, BootstrapFormMixin

DATE = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class Bieu3CreateForm(BootstrapFormMixin, forms.Form):
    period_from = forms.DateField(label=_("From"), input_formats=DATE_FORMATS, widget=DATE)
    period_to = forms.DateField(label=_("To"), input_formats=DATE_FORMATS, widget=DATE)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.GENERAL)
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules"), queryset=Module.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, modules: QuerySet[Module], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["modules"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = modules
        field.label_from_instance = lambda m: f"{m.code}: {m.title}"  # type: ignore[method-assign,assignment]
        field.widget.attrs["class"] = "form-check-input"
        if not self.is_bound:  # the general-school modules of the year, all chosen (preschool: choose its own)
            field.initial = [m for m in modules if m.audience not in PRESCHOOL_AUDIENCES]


class Bieu3TextsForm(BootstrapFormMixin, forms.Form):
    """The particulars of the document and the text sections of the form (IV–VIII)."""

    institution = forms.CharField(label=_("Training institution"), max_length=255, required=False)
    number = forms.CharField(label=_("Document number"), max_length=64, required=False)
    report_date = forms.DateField(label=_("Report date"), input_formats=DATE_FORMATS, widget=DATE, required=False)
    signer_title = forms.CharField(label=_("Title of the signer"), max_length=100, required=False)
    signer_name = forms.CharField(label=_("Name of the signer"), max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, number, heading in TEXT_SECTIONS:
            self.fields[name] = forms.CharField(
                label=f"{number}. {heading}",
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
            )

    PARTICULARS = ("institution", "number", "report_date", "signer_title", "signer_name")

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name, _n, _h in TEXT_SECTIONS}

    def particulars(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.PARTICULARS}
