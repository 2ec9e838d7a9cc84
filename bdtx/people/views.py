from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.organisations.filters import list_context_from_request
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_choices, unit_get
from bdtx.people import selectors, services
from bdtx.people.exporters import staff_columns, staff_rows
from bdtx.people.forms import EmploymentForm, PersonForm, StaffFilterForm
from bdtx.people.models import Person


def _filter_from_request(request: AuthenticatedHttpRequest) -> tuple[StaffFilterForm, selectors.StaffFilter, bool]:
    """The staff filter from the query string; a unit outside the scope is a 404.

    Returns the form, the filter, and whether ethnicity and ID numbers may be shown for it.
    """
    lc = list_context_from_request(request)
    sensitive = request.scope.sees_sensitive(lc.unit.path if lc.unit else None)
    form = StaffFilterForm(lc.params, years=lc.years, units=lc.units, sensitive=sensitive)
    form.is_valid()  # fields that do not validate are left out of cleaned_data, the rest still filter
    data = getattr(form, "cleaned_data", {})
    keys = ("level", "position", "staff_type", "gender", "minority", "difficult", "mentor", "q")
    f = selectors.StaffFilter(school_year=lc.school_year, unit=lc.unit, **{k: data.get(k) or "" for k in keys})
    return form, f, sensitive


def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_VIEW)
    form, f, _sensitive = _filter_from_request(request)
    page, base = paginate(request, selectors.staff_list(scope=request.scope, f=f))
    template = "people/_staff_table.html" if request.htmx else "people/staff_list.html"
    return render(
        request,
        template,
        {
            "form": form,
            "page_obj": page,
            "querystring_base": base,
            "filter": f,
            "can_export": request.scope.has_anywhere(Perm.PEOPLE_EXPORT),
            "can_add": request.scope.has_anywhere(Perm.PEOPLE_MANAGE),
        },
    )


def staff_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_EXPORT)
    _form, f, sensitive = _filter_from_request(request)
    qs = selectors.staff_list(scope=request.scope, f=f)
    content = write_xlsx(
        title=_("Staff list, school year %(y)s-%(z)s")
        % {"y": f.school_year.start_year, "z": f.school_year.start_year + 1},
        subtitle=(f.unit.name if f.unit else _("All units in my scope"))
        + " — "
        + _("exported on %(d)s") % {"d": timezone.localdate().strftime("%d/%m/%Y")},
        columns=staff_columns(sensitive=sensitive),
        rows=staff_rows(qs, sensitive=sensitive),
    )
    if sensitive:
        services.sensitive_read_record(
            actor_id=request.user.pk,
            person=None,
            count=qs.count(),
            unit_path=f.unit.path if f.unit else "",
            what="staff list export (.xlsx)",
        )
    return xlsx_response(content, f"danh-sach-can-bo-{f.school_year.start_year}.xlsx")


def _person_fields(cleaned: dict) -> dict:
    """Form data → service keyword arguments (the ethnicity goes by its code)."""
    data = dict(cleaned)
    if "ethnicity" in data:
        ethnicity = data.pop("ethnicity")
        data["ethnicity_id"] = ethnicity.pk if ethnicity else None
    return data


def _get_person(request: AuthenticatedHttpRequest, uuid: str) -> tuple[Person, str]:
    try:
        person = selectors.person_get(scope=request.scope, uuid=uuid)
    except Person.DoesNotExist:
        raise Http404 from None
    emp = selectors.person_current_employment(person=person)
    return person, emp.unit.path if emp else ""


def person_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    person, path = _get_person(request, uuid)
    is_self = person.pk == request.scope.person_id
    if not is_self:
        request.scope.require(Perm.PEOPLE_VIEW, path)
    sensitive = is_self or request.scope.sees_sensitive(path)
    if sensitive and not is_self:
        services.sensitive_read_record(
            actor_id=request.user.pk, person=person, unit_path=path, what="person detail: ethnicity, personal ID"
        )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "sensitive": sensitive,
            "employments": selectors.person_employments(person=person),
            "can_edit": request.scope.has(Perm.PEOPLE_MANAGE, path),
            "can_audit": request.scope.has(Perm.AUDIT_VIEW, path),
            "can_create_account": not person.user_id and request.scope.has(Perm.ROLES_MANAGE, path),
        },
    )


def person_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    person, path = _get_person(request, uuid)
    request.scope.require(Perm.PEOPLE_MANAGE, path)
    sensitive = request.scope.sees_sensitive(path)
    form = PersonForm(request.POST or None, instance=person, sensitive=sensitive)
    if request.method == "POST" and form.is_valid():
        changes = _person_fields(form.cleaned_data)
        person.refresh_from_db()
        try:
            services.person_update(scope=request.scope, person=person, unit_path=path, **changes)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", uuid=person.uuid)
    return render(request, "people/person_form.html", {"form": form, "person": person})


def person_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_MANAGE)
    form = PersonForm(request.POST or None)
    emp_form = EmploymentForm(request.POST or None, prefix="emp")
    unit = None
    if request.method == "POST":
        try:
            unit = unit_get(scope=request.scope, uuid=request.POST.get("unit", ""))
        except (Unit.DoesNotExist, ValidationError):
            form.add_error(None, _("Choose the unit the person works at."))
        else:
            request.scope.require(Perm.PEOPLE_MANAGE, unit.path)
    if request.method == "POST" and unit and form.is_valid() and emp_form.is_valid():
        data = _person_fields(form.cleaned_data)
        try:
            person = services.person_create(
                scope=request.scope,
                unit=unit,
                school_year=school_year_current(),
                employment=emp_form.cleaned_data,
                **data,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("people:detail", uuid=person.uuid)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "emp_form": emp_form,
            "units": [u for u in unit_choices(scope=request.scope) if u.is_school_like],
            "selected_unit": unit,
        },
    )
