from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bdtx.core.text import nfc


class BootstrapFormMixin:
    """Give every widget the Bootstrap class it needs, so templates stay plain; set the choices and
    querysets a form only knows per request (the viewer's units, years) with their types checked."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            w = field.widget
            if isinstance(w, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(w, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            w.attrs["class"] = f"{w.attrs.get('class', '')} {css}".strip()

    def set_choices(self, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField), f"{name} is not a choice field"
        field.choices = list(choices)

    def set_queryset[M: Model](self, name: str, queryset: QuerySet[M], label: Callable[[M], str] | None = None) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField), f"{name} is not a model choice field"
        field.queryset = queryset
        if label is not None:
            field.label_from_instance = label  # type: ignore[method-assign,assignment]


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def date_field(label: str | Promise) -> forms.DateField:
    """A date typed as dd/mm/yyyy (a text box: the browser's date picker follows its own locale)."""
    return forms.DateField(
        label=label,  # type: ignore[arg-type]  # a lazy translation is a str to Django
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    who = forms.CharField(label=_("User"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = date_field(_("From"))
    until = date_field(_("To"))
    reads = forms.ChoiceField(
        label=_("Reads of sensitive data"),
        required=False,
        choices=[("", _("Hide them")), ("only", _("Only them")), ("all", _("Show them too"))],
    )

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("action", [("", _("Every action")), *actions])


class CleanTextField(forms.CharField):
    """Text as `core.text.nfc` leaves it: NFC, without zero-width or bidirectional control characters,
    spaces collapsed — before any validation, so what is checked is what is stored."""

    def to_python(self, value: Any) -> str:
        return nfc(super().to_python(value))


class CleanEmailField(forms.EmailField):
    def to_python(self, value: Any) -> str:
        return nfc(super().to_python(value))
