from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from bdtx.catalog.models import Module
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Scope
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.people.models import Person, StaffType
from bdtx.plans.models import Form
from bdtx.regimes.models import Programme
from bdtx.training.models import Cohort, CohortStatus, Degree, ScheduleTemplate, SupportGroup, TrainerRole
from bdtx.training.selectors import cohort_organiser_choices, other_cohorts, trainer_people

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CohortFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.TypedChoiceField(label=_("School year"), coerce=int, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    programme = forms.ChoiceField(
        label=_("Programme"), required=False, choices=[("", _("All programmes")), *Programme.choices]
    )
    form = forms.ChoiceField(label=_("Form"), required=False, choices=[("", _("All forms")), *Form.choices])

    def __init__(self, *args: Any, years: list[tuple[int, str]], units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("year", years)
        self.set_choices("unit", [("", _("All units in my scope")), *units])


class CohortForm(BootstrapFormMixin, forms.Form):
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=255)
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices, initial=Programme.BD03)
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none(), required=False)
    content_title = forms.CharField(
        label=_("Content topic"), max_length=500, required=False, help_text=_("For programme 01 or 02.")
    )
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices, initial=Form.BLENDED)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    institution = forms.ModelChoiceField(
        label=_("Assessing training institution"), queryset=Unit.objects.none(), required=False
    )
    template = forms.ModelChoiceField(
        label=_("Schedule template"),
        queryset=ScheduleTemplate.objects.filter(active=True),
        required=False,
        empty_label=_("No template: phases entered by hand"),
    )
    starts_on = forms.DateField(label=_("First day"), required=False, widget=DATE)
    institution_organises = forms.BooleanField(
        label=_("The training institution organises it for the organiser"),
        required=False,
        help_text=_("Its staff then set the schedule, enrol from the organiser's approved plans, split the groups."),
    )

    def __init__(self, *args: Any, scope: Scope, school_year: SchoolYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset("organiser", cohort_organiser_choices(scope=scope))
        self.set_queryset(
            "module",
            Module.objects.in_force(school_year).select_related("catalog").order_by("catalog__code", "code"),
            label=lambda m: f"{m.catalog.code} · {m.code}: {m.title}",
        )
        self.set_queryset(
            "institution", Unit.objects.visible_to(scope).active().filter(kind=UnitKind.INSTITUTION).order_by("name")
        )


class CohortEditForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    form = forms.ChoiceField(label=_("Form"), choices=Form.choices)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1)
    institution = forms.ModelChoiceField(
        label=_("Assessing training institution"), queryset=Unit.objects.none(), required=False
    )
    institution_organises = forms.BooleanField(
        label=_("The training institution organises it for the organiser"), required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=CohortStatus.choices)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset(
            "institution", Unit.objects.visible_to(scope).active().filter(kind=UnitKind.INSTITUTION).order_by("name")
        )


class TrainerForm(BootstrapFormMixin, forms.Form):
    # Chosen from a search (`training:trainer_people`), rendered by the template as radio buttons;
    # empty: a training institution's trainer, without a staff record.
    person = forms.ModelChoiceField(
        label=_("Staff record"),
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
        error_messages={"invalid_choice": _("Choose a person working under the organiser this school year.")},
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        required=False,
        help_text=_("Taken from the staff record when one is linked."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=TrainerRole.choices)
    degree = forms.ChoiceField(label=_("Degree"), choices=Degree.choices, initial=Degree.BACHELOR)
    years_experience = forms.IntegerField(label=_("Years of BDTX experience"), min_value=0, max_value=60)
    it_skills = forms.BooleanField(label=_("IT skills"), required=False)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset("person", trainer_people(cohort=cohort))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("person") and not (data.get("full_name") or "").strip() and "person" not in self.errors:
            self.add_error("full_name", _("Write the trainer's full name, or link a staff record."))
        return data


class SessionForm(BootstrapFormMixin, forms.Form):
    venue = forms.CharField(label=_("Venue"), max_length=255)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)


class EnrolFilterForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("Every unit"), to_field_name="uuid"
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("Every level")), *SchoolLevel.choices])
    staff_type = forms.ChoiceField(
        label=_("Teachers or managers"), required=False, choices=[("", _("Teachers and managers")), *StaffType.choices]
    )

    def __init__(self, *args: Any, organiser: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset(
            "unit",
            Unit.objects.within(organiser.path).active().exclude(kind=UnitKind.INSTITUTION).order_by("path"),
        )


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class GroupMoveForm(BootstrapFormMixin, forms.Form):
    group = forms.ModelChoiceField(label=_("Group"), queryset=SupportGroup.objects.none(), to_field_name="uuid")

    def __init__(self, *args: Any, cohort_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset("group", SupportGroup.objects.filter(cohort_id=cohort_id).order_by("number"))


class MoveForm(BootstrapFormMixin, forms.Form):
    to = forms.ModelChoiceField(label=_("To the cohort"), queryset=Cohort.objects.none(), to_field_name="uuid")
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args: Any, scope: Scope, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset("to", other_cohorts(scope=scope, cohort=cohort))


# --- a schedule entered by hand (phase_views) ---
from bdtx.training.models import PhaseKind  # noqa: E402

PHASE_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PhaseForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Phase"), choices=PhaseKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=PHASE_DATE)
    ends_on = forms.DateField(label=_("To"), widget=PHASE_DATE)
