from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from bdtx.accounts import selectors, services
from bdtx.core.forms import BootstrapFormMixin


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledLoginForm(BootstrapFormMixin, AuthenticationForm):
    """Django's login form that refuses to check passwords after too many recent failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed sign-in attempts. Wait 15 minutes and try again, or reset your password."),
    }

    def clean(self) -> dict:
        username = (self.cleaned_data.get("username") or "").strip()
        ip = client_ip(self.request)
        if username and selectors.login_is_throttled(username=username, ip=ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            data = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failure_record(username=username, ip=ip)
            raise
        services.login_failures_clear(username=username)
        return data


class AccountForm(BootstrapFormMixin, forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+$",
        max_length=150,
        label=_("User name"),
        help_text=_("Letters without diacritics, digits and . @ + - _"),
    )
    email = forms.EmailField(required=False, label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.set_choices("role", roles)


class UnitAccountForm(AccountForm):
    """An account for someone without a staff record: their name is typed here."""

    family_middle = forms.CharField(max_length=150, label=_("Family and middle names"))
    given = forms.CharField(max_length=150, label=_("Given name"))
    field_order = ["family_middle", "given", "username", "email", "role"]
