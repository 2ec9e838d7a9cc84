from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from bdtx.core.forms import BootstrapFormMixin, CleanEmailField, CleanTextField
from bdtx.core.models import SchoolYear
from bdtx.core.text import nfc
from bdtx.organisations.models import SchoolLevel, Unit
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
from bdtx.people.validators import looks_like_personal_id, personal_id_problem

DATE_INPUT = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class StaffFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(required=False, label=_("Name or phone"))
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
        required=False,
        label=_("Core teacher"),
        choices=[("", _("Core teachers and others")), ("1", _("Core teachers only"))],
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
        # zero-width and bidirectional controls out, NFC (`core.text.nfc`), before validation
        field_classes = {
            "family_name": CleanTextField,
            "middle_name": CleanTextField,
            "given_name": CleanTextField,
            "personal_id": CleanTextField,
            "phone": CleanTextField,
            "email": CleanEmailField,
        }

    def __init__(self, *args, sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_queryset("ethnicity", Ethnicity.objects.all(), lambda e: f"{e.code} – {e.name}")
        if not sensitive:
            del self.fields["ethnicity"]
            del self.fields["personal_id"]

    def clean_personal_id(self) -> str | None:
        return self.cleaned_data.get("personal_id") or None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pid = data.get("personal_id")
        if pid:
            problem = personal_id_problem(pid, gender=data.get("gender"), birth=data.get("date_of_birth"))
            if problem:
                self.add_error("personal_id", problem)
        return data


def _yes_no_or_unit(value: object) -> bool | None:
    """A choice ("True", "False", "" — or a value already typed) → True, False, None (as the unit)."""
    if value in (True, "True"):
        return True
    if value in (False, "False"):
        return False
    return None


def difficult_area_choices(unit: Unit | None = None) -> list[tuple[str, Any]]:
    """As the unit (saying what the unit is, when known), yes, no."""
    if unit is None:
        as_unit = _("As the unit")
    else:
        as_unit = _("As the unit (yes)") if unit.difficult_area else _("As the unit (no)")
    return [("", as_unit), ("True", _("Yes")), ("False", _("No"))]


def difficult_area_field() -> forms.TypedChoiceField:
    """Whether the person's post is in a difficult area (Employment.difficult_area; None: as the unit)."""
    return forms.TypedChoiceField(
        label=_("Difficult area"),
        required=False,
        choices=difficult_area_choices(),
        coerce=_yes_no_or_unit,
        empty_value=None,
        help_text=_(
            "A teacher at a satellite site (điểm trường) in a difficult village works in a difficult area "
            "even when the school is not listed as one."
        ),
    )


class EmploymentForm(BootstrapFormMixin, forms.ModelForm):
    difficult_area = difficult_area_field()

    class Meta:
        model = Employment
        fields = [
            "staff_type",
            "position",
            "school_level",
            "subjects",
            "is_mentor",
            "contract_type",
            "status",
            "difficult_area",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("contract_type", ContractType.choices)
        self.set_choices("status", EmploymentStatus.choices)


class EmploymentAreaForm(BootstrapFormMixin, forms.Form):
    """What the person edit page changes of their work in the school year shown: the difficult area."""

    difficult_area = difficult_area_field()

    def __init__(self, *args: Any, employment: Employment, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"difficult_area": employment.difficult_area})
        super().__init__(*args, **kwargs)
        self.set_choices("difficult_area", difficult_area_choices(employment.unit))


class PersonalIdSearchForm(BootstrapFormMixin, forms.Form):
    """The ID number to look for: POSTed, never in the address."""

    personal_id = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_personal_id(self) -> str:
        value = "".join(ch for ch in nfc(self.cleaned_data["personal_id"]) if not ch.isspace())
        if not looks_like_personal_id(value):
            raise forms.ValidationError(_("An ID number has exactly 12 digits."))
        return value


TRANSFER_SELECT_LIMIT = 300  # more schools than this (a province): the unit is typed by its code


class TransferForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), to_field_name="code", label=_("Move to the unit"))
    school_year = forms.ModelChoiceField(queryset=SchoolYear.objects.none(), label=_("From the school year"))

    def __init__(self, *args: Any, units: QuerySet[Unit], years: list[SchoolYear], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units.count() > TRANSFER_SELECT_LIMIT:
            self.fields["unit"].widget = forms.TextInput(attrs={"class": "form-control"})
            self.fields["unit"].help_text = _("The code of the school or centre.")
        self.set_queryset("unit", units, lambda u: f"{u.name} ({u.code})")
        self.set_queryset("school_year", SchoolYear.objects.filter(pk__in=[y.pk for y in years]))
