from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from bdtx.accounts import selectors, services
from bdtx.accounts.forms import AccountForm, OwnPasswordChangeForm, ThrottledPasswordResetForm, UnitAccountForm
from bdtx.accounts.middleware import password_change_required_forget
from bdtx.accounts.models import ACCOUNT_AT_UNIT_KINDS, Role, RoleAssignment
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations.selectors import unit_get
from bdtx.people.models import Person
from bdtx.people.selectors import person_current_employment, person_get


def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.ROLES_MANAGE)
    raw_unit = request.GET.get("unit")
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=raw_unit) if raw_unit else None
    if unit is not None:
        request.scope.require(Perm.ROLES_MANAGE, unit.path)
    role = request.GET.get("role", "")
    qs = selectors.role_assignment_list(
        scope=request.scope, role=role if role in Role.values else "", q=request.GET.get("q", "").strip(), unit=unit
    )
    page, base = paginate(request, qs)
    user_ids = {ra.user_id for ra in page}
    locked = selectors.account_locked_users(user_ids=user_ids)
    resettable = selectors.accounts_resettable(scope=request.scope, user_ids=user_ids)
    return render(
        request,
        "accounts/user_list.html",
        {
            "page_obj": page,
            "querystring_base": base,
            "roles": Role.choices,
            "locked": locked,
            "resettable": resettable,
            "unit": unit,
            "create_here": unit is not None and unit.kind in ACCOUNT_AT_UNIT_KINDS,
        },
    )


def unit_account_new(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Create a login at a unit whose people have no staff record (a training institution), with a
    role the viewer may give there."""
    unit = get_in_scope_or_404(unit_get, scope=request.scope, uuid=uuid)
    if unit.kind not in ACCOUNT_AT_UNIT_KINDS:
        raise Http404  # a school's accounts are created from its staff records
    request.scope.require(Perm.ROLES_MANAGE, unit.path)
    roles = selectors.role_grantable(scope=request.scope, unit=unit)
    form = UnitAccountForm(
        request.POST or None, roles=[(r, str(Role(r).label)) for r in roles], initial={"role": next(iter(roles), "")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.account_create_at_unit(scope=request.scope, unit=unit, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return render(
                request, "accounts/account_created.html", {"user_obj": user, "password": password, "unit": unit}
            )
    return render(request, "accounts/account_form.html", {"form": form, "unit": unit})


def account_new(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Create a login for a person of the viewer's units, with a role the viewer may give."""
    try:
        person = person_get(scope=request.scope, uuid=uuid)
    except (Person.DoesNotExist, ValidationError):
        raise Http404 from None
    employment = person_current_employment(person=person)
    if employment is None:
        raise Http404
    unit = employment.unit
    request.scope.require(Perm.ROLES_MANAGE, unit.path)
    roles = selectors.role_grantable(scope=request.scope, unit=unit)
    form = AccountForm(
        request.POST or None,
        roles=[(r, str(Role(r).label)) for r in roles],
        initial={
            "username": selectors.username_suggest(person=person),
            "email": person.email,
            "role": Role.MENTOR if employment.is_mentor and Role.MENTOR in roles else Role.LEARNER,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.account_create_for_person(
                scope=request.scope, person=person, unit=unit, **form.cleaned_data
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return render(
                request,
                "accounts/account_created.html",
                {"person": person, "user_obj": user, "password": password, "unit": unit},
            )
    return render(request, "accounts/account_form.html", {"form": form, "person": person, "unit": unit})


@require_POST
def role_revoke(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    try:
        assignment = selectors.role_assignment_get(scope=request.scope, uuid=uuid)
    except (RoleAssignment.DoesNotExist, ValidationError):
        raise Http404 from None
    try:
        services.role_revoke(scope=request.scope, assignment=assignment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The role was taken away."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)  # the filtered list it was taken away from
    return redirect("accounts:users")


@require_POST
def account_unlock(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Unlock the account of a role assignment's user (the accounts page lists assignments)."""
    assignment = get_in_scope_or_404(selectors.role_assignment_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.ROLES_MANAGE, assignment.unit.path)
    services.account_unlock(scope=request.scope, user=assignment.user)
    messages.success(request, _("The account %(username)s is unlocked.") % {"username": assignment.user.username})
    return redirect("accounts:users")


@require_POST
@never_cache
def account_password_reset(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A one-time password for the account of a role assignment (the accounts page lists assignments)."""
    assignment = get_in_scope_or_404(selectors.role_assignment_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.PASSWORDS_RESET, assignment.unit.path)
    return _password_reset(request, user=assignment.user, back=reverse("accounts:users"))


@require_POST
@never_cache
def person_password_reset(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A one-time password for the account of a person (their page shows the button)."""
    person = get_in_scope_or_404(person_get, scope=request.scope, uuid=uuid)
    if person.user is None:
        raise Http404
    request.scope.require(Perm.PASSWORDS_RESET)
    return _password_reset(request, user=person.user, back=reverse("people:detail", args=[person.uuid]))


@sensitive_variables("password")
def _password_reset(request: AuthenticatedHttpRequest, *, user: User, back: str) -> HttpResponse:
    """Reset (the service refuses, 403, an account the viewer has no authority over or a higher one)
    and show the password once: in this POST's answer only, never in an address, never cached."""
    password = services.account_password_reset_by_authority(scope=request.scope, user=user)
    person = Person.objects.filter(user=user).first()
    return render(
        request,
        "accounts/password_reset_by_authority.html",
        {"user_obj": user, "person": person, "password": password, "back": back},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, refusing to keep a one-time password; someone who had to change theirs goes on to
    the landing page, free to use the site (`PasswordChangeRequiredMiddleware`)."""

    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, "one_time": context["form"].one_time}

    def form_valid(self, form: OwnPasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if not form.one_time:
            return response
        password_change_required_forget(self.request)
        messages.success(self.request, _("Your password is changed. From now on, sign in with it."))
        return redirect(settings.LOGIN_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the hourly limits of `ThrottledPasswordResetForm` (it needs the request's address)."""

    form_class = ThrottledPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "reset_limit": settings.PASSWORD_RESET_ACCOUNT_LIMIT}
