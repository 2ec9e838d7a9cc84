from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from bdtx.accounts import selectors, services
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.http import client_ip


class ThrottledLoginForm(BootstrapFormMixin, AuthenticationForm):
    """Django's login form that refuses to check a password while the account is locked or the
    address must wait (`selectors.login_refusal`), and says what to do then."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if username and (refusal := selectors.login_refusal(username=username, ip=ip)):
            code = "throttled" if refusal.code == "locked" else "slow_down"
            raise forms.ValidationError(self._refusal_message(refusal), code=code)
        try:
            data = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failure_record(username=username, ip=ip)
            raise
        if self.user_cache is not None:
            services.login_failures_clear(user=self.user_cache)
        return data

    @staticmethod
    def _refusal_message(refusal: selectors.LoginRefusal) -> str:
        if refusal.code == "locked":
            minutes = -(-refusal.seconds // 60)
            return ngettext(
                "This account is locked after too many wrong passwords. To sign in now, reset your "
                "password (“Forgot your password?” below) or ask whoever manages accounts at your school "
                "or office to unlock it. Otherwise it unlocks by itself in %(minutes)s minute.",
                "This account is locked after too many wrong passwords. To sign in now, reset your "
                "password (“Forgot your password?” below) or ask whoever manages accounts at your school "
                "or office to unlock it. Otherwise it unlocks by itself in %(minutes)s minutes.",
                minutes,
            ) % {"minutes": minutes}
        return ngettext(
            "Too many failed sign-ins from your network. Wait %(seconds)s second, then try again.",
            "Too many failed sign-ins from your network. Wait %(seconds)s seconds, then try again.",
            refusal.seconds,
        ) % {"seconds": refusal.seconds}


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form with hourly limits: per address, said on the form (it tells nothing
    about any account); per account, silent (the page reads the same whether a mail went or not)."""

    error_messages = {
        "throttled": _("Too many password-reset requests from your network. Try again in an hour."),
    }

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ip = client_ip(request)

    def clean(self) -> dict[str, Any] | None:
        data = super().clean()
        if selectors.password_reset_address_exhausted(ip=self.ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        return data

    def get_users(self, email: str) -> Iterator[User]:
        users = selectors.password_reset_mailable(users=super().get_users(email))
        services.password_reset_request_record(ip=self.ip, users=users)
        return iter(users)


class OwnPasswordMixin:
    """A password the holder chooses: never the one-time password an authority gave (the authority
    knows it), and once it is set the account no longer has to change its password."""

    user: User
    cleaned_data: dict[str, Any]
    one_time_reuse_message = _("Choose a password of your own: the one-time password you were given cannot be kept.")

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)  # type: ignore[call-arg]
        self.one_time = selectors.password_change_required(user=user)

    @sensitive_variables("new")
    def refuse_one_time_password(self) -> None:
        new = self.cleaned_data.get("new_password1")
        if self.one_time and new and self.user.check_password(new):
            self.add_error("new_password1", forms.ValidationError(self.one_time_reuse_message, code="one_time_reused"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        self.refuse_one_time_password()
        return data

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)  # type: ignore[misc]
        if commit:
            services.password_change_required_clear(user=user)
        return user


class UnlockingSetPasswordForm(OwnPasswordMixin, SetPasswordForm):
    """The new password from a reset link: setting it also unlocks the account."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        services.login_failures_clear(user=user)
        return user


class OwnPasswordChangeForm(OwnPasswordMixin, PasswordChangeForm):
    """Django's change form (the current password, then the new one twice) that refuses to keep a
    one-time password and ends the obligation to change it."""


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
