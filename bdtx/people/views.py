from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.exporters import write_xlsx, xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.paging import paginate
from bdtx.core.person_links import person_links
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.organisations.filters import list_context_from_request
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import has_authority_over_year, school_years_with_authority, unit_choices, unit_get
from bdtx.people import selectors, services
from bdtx.people.exporters import staff_columns, staff_rows
from bdtx.people.forms import (
    EmploymentAreaForm,
    EmploymentForm,
    PersonalIdSearchForm,
    PersonForm,
    StaffFilterForm,
    TransferForm,
)
from bdtx.people.models import Employment, Person
from bdtx.people.validators import looks_like_personal_id


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


def _list_path(request: AuthenticatedHttpRequest, unit: Unit | None) -> str:
    """Where a read over a list is logged: its unit, or the viewer's highest unit (so the audit log
    of that subtree shows it)."""
    if unit is not None:
        return unit.path
    return next(iter(request.scope.paths(Perm.PEOPLE_VIEW)), "")


def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_VIEW)
    form, f, sensitive = _filter_from_request(request)
    page, base = paginate(request, selectors.staff_list(scope=request.scope, f=f))
    if sensitive and f.minority:
        # The rows are the people of one ethnic group (Kinh / minorities): a read of ethnicity.
        services.sensitive_read_record(
            actor_id=request.user.pk,
            person=None,
            count=len(page.object_list),
            unit_path=_list_path(request, f.unit),
            what="staff list: ethnic-minority filter",
        )
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
            "can_find_by_id": request.scope.has_anywhere(Perm.SENSITIVE_VIEW),
            "id_in_search": any(looks_like_personal_id(w) for w in f.q.split()),
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
            unit_path=_list_path(request, f.unit),
            what="staff list export (.xlsx)" + (", ethnic-minority filter" if f.minority else ""),
        )
    return xlsx_response(content, f"danh-sach-can-bo-{f.school_year.start_year}.xlsx")


def find_by_personal_id(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find a person by ID number. The number comes in a POSTed form, never in the address (access
    logs keep addresses); only roles that may see ID numbers search by them, among the people
    whose ID numbers they may see; every search is logged."""
    if not request.scope.has_anywhere(Perm.SENSITIVE_VIEW):
        raise PermissionDenied
    form = PersonalIdSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = selectors.person_by_personal_id(scope=request.scope, personal_id=form.cleaned_data["personal_id"])
        services.sensitive_read_record(
            actor_id=request.user.pk,
            person=found.person if found else None,
            unit_path=found.unit.path if found else _list_path(request, None),
            what="ID number search" if found else "ID number search: nobody found",
        )
        if found is not None:
            return redirect(_detail_url(found.person, found.school_year_id))
        form.add_error("personal_id", _("Nobody whose ID number you may see has this ID number."))
    return render(request, "people/find_by_id.html", {"form": form})


def _detail_url(person: Person, year: int) -> str:
    return f"{reverse('people:detail', kwargs={'uuid': person.uuid})}?year={year}"


def _person_fields(cleaned: dict) -> dict:
    """Form data → service keyword arguments (the ethnicity goes by its code)."""
    data = dict(cleaned)
    if "ethnicity" in data:
        ethnicity = data.pop("ethnicity")
        data["ethnicity_id"] = ethnicity.pk if ethnicity else None
    return data


@dataclass(frozen=True)
class PersonYear:
    """A person as a page shows them: in one school year, through the viewer's authority in that year."""

    person: Person
    school_year: SchoolYear
    employment: Employment | None  # their work in that year, if any
    employments: list[Employment]  # every year, newest first
    years: list[int]  # the years the viewer may open, newest first
    is_self: bool

    @property
    def path(self) -> str:
        return self.employment.unit.path if self.employment else ""


def _person_year(request: AuthenticatedHttpRequest, uuid: str) -> PersonYear:
    """The person (404 outside the scope) in the school year asked for (`?year=`), or by default
    the current year when the viewer may see their work in it, else the latest year they may.

    Which year matters: a person page shows and allows what the viewer's authority over the unit
    where the person works *in that year* allows — never what the newest employment says, which a
    school could otherwise set by writing a later year.
    """
    person = get_in_scope_or_404(selectors.person_get, scope=request.scope, uuid=uuid)
    jobs = selectors.person_employments(person=person)
    is_self = request.scope.is_person(person.pk)
    years = [e.school_year_id for e in jobs if is_self or request.scope.has(Perm.PEOPLE_VIEW, e.unit.path)]
    if "year" in request.GET:
        school_year = year_from_request(request)
    else:
        current = school_year_current()
        start = current.pk if current.pk in years or not years else years[0]
        school_year = current if start == current.pk else SchoolYear.of(start)
    employment = next((e for e in jobs if e.school_year_id == school_year.pk), None)
    return PersonYear(person, school_year, employment, jobs, years, is_self)


def person_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    py = _person_year(request, uuid)
    person, path = py.person, py.path
    if not py.is_self:
        if py.employment is not None:
            request.scope.require(Perm.PEOPLE_VIEW, path)
        elif not py.years:
            raise PermissionDenied
    sensitive = py.is_self or (py.employment is not None and request.scope.sees_sensitive(path))
    if sensitive and not py.is_self:
        services.sensitive_read_record(
            actor_id=request.user.pk, person=person, unit_path=path, what="person detail: ethnicity, personal ID"
        )
    may_manage = py.employment is not None and request.scope.has(Perm.PEOPLE_MANAGE, path)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "py": py,
            "sensitive": sensitive,
            "employments": py.employments,
            "can_edit": may_manage and not _held_elsewhere(request, py),
            "can_transfer": may_manage,
            "can_audit": bool(path) and request.scope.has(Perm.AUDIT_VIEW, path),
            # the self-assessment and personal plan of the year, where the viewer may open them
            "links": person_links(scope=request.scope, person_id=person.pk, school_year=py.school_year),
            "can_create_account": bool(path) and not person.user_id and request.scope.has(Perm.ROLES_MANAGE, path),
            # the reset itself checks the rest (accounts_resettable): the account is no higher authority
            "can_reset_password": bool(path)
            and bool(person.user_id)
            and not py.is_self
            and py.school_year.pk == school_year_current().pk
            and request.scope.has(Perm.PASSWORDS_RESET, path),
        },
    )


def _held_elsewhere(request: AuthenticatedHttpRequest, py: PersonYear) -> bool:
    return bool(
        selectors.people_held_elsewhere(
            scope=request.scope,
            permission=Perm.PEOPLE_MANAGE,
            school_year=school_year_current(),
            person_ids=[py.person.pk],
        )
    )


def person_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    py = _person_year(request, uuid)
    person, path = py.person, py.path
    if py.employment is None:
        raise PermissionDenied
    request.scope.require(Perm.PEOPLE_MANAGE, path)
    if _held_elsewhere(request, py):
        raise PermissionDenied
    sensitive = request.scope.sees_sensitive(path)
    form = PersonForm(request.POST or None, instance=person, sensitive=sensitive)
    work = py.employment
    may_edit_work = has_authority_over_year(
        scope=request.scope, permission=Perm.PEOPLE_MANAGE, school_year=py.school_year, unit_ids=[work.unit_id]
    )
    work_form = EmploymentAreaForm(request.POST or None, employment=work, prefix="emp") if may_edit_work else None
    if request.method == "POST" and form.is_valid() and (work_form is None or work_form.is_valid()):
        changes = _person_fields(form.cleaned_data)
        person.refresh_from_db()
        try:
            with transaction.atomic():
                services.person_update(scope=request.scope, person=person, unit_path=path, **changes)
                if work_form is not None and work_form.has_changed():
                    services.employment_update(scope=request.scope, employment=work, **work_form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(_detail_url(person, py.school_year.pk))
    if sensitive:  # the form shows the person's ethnicity and ID number
        services.sensitive_read_record(
            actor_id=request.user.pk, person=person, unit_path=path, what="person edit form: ethnicity, personal ID"
        )
    context = {"form": form, "emp_form": work_form, "person": person, "py": py}
    return render(request, "people/person_form.html", context)


def person_transfer(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Move a person to another unit from a school year on, by an authority over both units."""
    py = _person_year(request, uuid)
    if py.employment is None:
        raise PermissionDenied
    request.scope.require(Perm.PEOPLE_MANAGE, py.path)
    targets = selectors.transfer_units(scope=request.scope, leaving=py.employment.unit)
    years = school_years_with_authority(scope=request.scope, permission=Perm.PEOPLE_MANAGE)
    form = TransferForm(request.POST or None, units=targets, years=years, initial={"school_year": py.school_year.pk})
    if request.method == "POST" and form.is_valid():
        school_year = form.cleaned_data["school_year"]
        try:
            services.person_transfer(
                scope=request.scope, person=py.person, to_unit=form.cleaned_data["unit"], school_year=school_year
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The transfer is recorded."))
            return redirect(_detail_url(py.person, school_year.pk))
    context = {"form": form, "py": py, "person": py.person, "has_targets": targets.exists()}
    return render(request, "people/person_transfer.html", context)


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
