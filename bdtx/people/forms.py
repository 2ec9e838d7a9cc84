from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import (
    ContractType,
    Employment,
    EmploymentStatus,
    Ethnicity,
    Gender,
    Person,
    Position,
    StaffType,
)
from bdtx.people.validators import personal_id_problem

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class StaffFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, label=_("Name, phone or ID number"))
    year = forms.TypedChoiceField(required=False, coerce=int, label=_("School year"))
    unit = forms.ChoiceField(required=False, label=_("Unit"))
    level = forms.ChoiceField(required=False, label=_("Level"), choices=[("", _("All levels")), *SchoolLevel.choices])
    position = forms.ChoiceField(
        required=False, label=_("Position"), choices=[("", _("All positions")), *Position.choices]
    )
    staff_type = forms.ChoiceField(
        required=False, label=_("Teacher / manager"), choices=[("", _("Teachers and managers")), *StaffType.choices]
    )
    gender = forms.ChoiceField(required=False, label=_("Gender"), choices=[("", _("Any gender")), *Gender.choices])
    minority = forms.ChoiceField(
        required=False,
        label=_("Ethnicity"),
        choices=[("", _("Any ethnicity")), ("1", _("Ethnic minority")), ("0", _("Kinh"))],
    )
    difficult = forms.ChoiceField(
        required=False,
        label=_("Area"),
        choices=[("", _("Any area")), ("1", _("Difficult area")), ("0", _("Not a difficult area"))],
    )
    mentor = forms.ChoiceField(
        required=False, label=_("Core teacher"), choices=[("", _("Everyone")), ("1", _("Core teachers only"))]
    )

    def __init__(self, *args, years: list[tuple[int, str]], units: list[tuple[str, str]], sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("year", years)
        self.set_choices("unit", [("", _("All my units")), *units])
        if not sensitive:
            del self.fields["minority"]


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE_INPUT, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    ethnicity = forms.ModelChoiceField(queryset=Ethnicity.objects.all(), required=False, label=_("Ethnicity"))

    class Meta:
        model = Person
        fields = [
            "family_name",
            "middle_name",
            "given_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "personal_id",
            "phone",
            "email",
        ]

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset("ethnicity", Ethnicity.objects.all(), lambda e: f"{e.code} – {e.name}")
        if not sensitive:
            del self.fields["ethnicity"]
            del self.fields["personal_id"]

    def clean_personal_id(self) -> str | None:
        value = (self.cleaned_data.get("personal_id") or "").strip()
        return value or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pid = data.get("personal_id")
        if pid:
            problem = personal_id_problem(pid, gender=data.get("gender"), birth=data.get("date_of_birth"))
            if problem:
                self.add_error("personal_id", problem)
        return data


class EmploymentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Employment
        fields = ["staff_type", "position", "school_level", "subjects", "is_mentor", "contract_type", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("contract_type", ContractType.choices)
        self.set_choices("status", EmploymentStatus.choices)
