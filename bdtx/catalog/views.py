from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.catalog import selectors, services
from bdtx.catalog.exporters import catalog_xlsx
from bdtx.catalog.forms import (
    CatalogForm,
    ContentFilterForm,
    ContentForm,
    FocusForm,
    LocalHoursForm,
    MaterialForm,
    ModuleFilterForm,
    ModuleForm,
)
from bdtx.catalog.models import Catalog, FocusModule, Material, Module, ProgrammeContent
from bdtx.core import uploads
from bdtx.core.exporters import xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.models import SchoolYear
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current, school_year_list
from bdtx.imports.selectors import import_job_list
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import departments_managed, national_unit, require_national
from bdtx.regimes.models import Programme


def _is_national_manager(scope: Scope) -> bool:
    unit = national_unit()
    return unit is not None and scope.has(Perm.CATALOG_MANAGE, unit.path)


def _year(request: AuthenticatedHttpRequest) -> SchoolYear:
    return year_from_request(request)


def _years() -> list[tuple[int, str]]:
    return [(y.start_year, y.label) for y in school_year_list()]


# --- modules -----------------------------------------------------------------------------------


def module_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    catalogs = selectors.catalog_list(school_year=year)
    params = request.GET.copy()
    params["year"] = str(year.pk)
    form = ModuleFilterForm(params, years=_years(), catalogs=catalogs)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    catalog = next((c for c in catalogs if str(c.uuid) == data.get("catalog")), None)
    f = selectors.ModuleFilter(
        school_year=year,
        catalog=catalog,
        audience=data.get("audience") or "",
        level=data.get("level") or "",
        q=data.get("q") or "",
    )
    modules = selectors.with_effective_hours(
        selectors.module_list(f=f), school_year=year, paths=request.scope.ancestor_paths()
    )
    page, base = paginate(request, modules)
    admin = request.scope.has_anywhere(Perm.CATALOG_MANAGE)
    context = {"form": form, "page_obj": page, "querystring_base": base, "filter": f, "admin": admin}
    context["province"] = selectors.province_for_scope(scope=request.scope) if admin and not request.htmx else None
    context["incomplete"] = [c for c in catalogs if not c.is_complete]
    template = "catalog/_module_table.html" if request.htmx else "catalog/module_list.html"
    return render(request, template, context)


def _module(uuid: str) -> Module:
    try:
        return selectors.module_get(uuid=uuid)
    except Module.DoesNotExist:
        raise Http404 from None


def module_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    module = _module(uuid)
    scope = request.scope
    return render(
        request,
        "catalog/module_detail.html",
        {
            "module": module,
            "materials": selectors.materials_for(scope=scope, module=module),
            "admin": scope.has_anywhere(Perm.CATALOG_MANAGE),
            "can_edit": _is_national_manager(scope),
            "material_form": MaterialForm() if selectors.material_unit_for(scope) else None,
            "in_force": module.catalog.in_force(school_year_current()),
            "local": selectors.module_local_hours_for(scope=scope, module=module, school_year=school_year_current()),
        },
    )


def module_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    module = _module(uuid)
    require_national(request.scope, Perm.CATALOG_MANAGE)
    criteria = selectors.framework_criteria_list(
        audience=module.audience, school_year=SchoolYear.of(module.catalog.first_year)
    )
    form = ModuleForm(request.POST or None, instance=module, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ModuleForm.Meta.fields}
        data["levels"] = Unit.format_levels(form.cleaned_data["level_choices"])
        module.refresh_from_db()
        try:
            services.module_update(
                scope=request.scope,
                module=module,
                criteria=list(form.cleaned_data["criteria"]),
                **data,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalog:module", uuid=module.uuid)
    return render(request, "catalog/module_form.html", {"form": form, "module": module})


@require_POST
def material_add(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    module = _module(uuid)
    if selectors.material_unit_for(request.scope) is None:
        raise PermissionDenied
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.material_add(
                scope=request.scope,
                module=module,
                kind=data["kind"],
                title=data["title"],
                url=data["url"] or "",
                upload=data["file"],
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The material was added."))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("catalog:module", uuid=module.uuid)


def _material(request: AuthenticatedHttpRequest, uuid: str) -> Material:
    try:
        return selectors.material_get(scope=request.scope, uuid=uuid)
    except Material.DoesNotExist:
        raise Http404 from None


def material_open(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponseBase:
    """Open a material: its file, served to those who may see it, or its address."""
    material = _material(request, uuid)
    if material.file:  # typed by its content; shown in the page only if safe (PDF, picture, video)
        name = material.original_filename or material.file.name or ""
        return uploads.file_response(material.file, filename=name, allowed=uploads.MATERIAL_TYPES)
    if material.url:
        return redirect(material.url)
    raise Http404


@require_POST
def material_remove(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    material = _material(request, uuid)
    services.material_remove(scope=request.scope, material=material)
    messages.success(request, _("The material was removed."))
    return redirect("catalog:module", uuid=material.module.uuid)


# --- catalogs and their export ------------------------------------------------------------------


def _catalog(uuid: str) -> Catalog:
    try:
        return selectors.catalog_get(uuid=uuid)
    except Catalog.DoesNotExist:
        raise Http404 from None


def catalog_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.scope.has_anywhere(Perm.CATALOG_MANAGE):
        raise PermissionDenied
    current = school_year_current().start_year
    return render(
        request,
        "catalog/catalog_list.html",
        {
            "catalogs": selectors.catalog_list(),
            "current": current,
            "can_edit": _is_national_manager(request.scope),
            "imports": import_job_list(scope=request.scope, kind="catalog")[:20],
            "province": selectors.province_for_scope(scope=request.scope),
        },
    )


def catalog_export(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    catalog = _catalog(uuid)
    if not request.scope.has_anywhere(Perm.CATALOG_MANAGE):
        raise PermissionDenied
    content = catalog_xlsx(catalog, selectors.catalog_modules_for_export(catalog=catalog))
    return xlsx_response(content, f"danh-muc-{catalog.code.lower()}.xlsx")


def catalog_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    catalog = _catalog(uuid)
    require_national(request.scope, Perm.CATALOG_MANAGE)
    form = CatalogForm(request.POST or None, instance=catalog)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        catalog.refresh_from_db()
        try:
            services.catalog_update(scope=request.scope, catalog=catalog, **changed)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalog:catalogs")
    return render(request, "catalog/catalog_form.html", {"form": form, "catalog": catalog})


# --- programme content and focus modules -------------------------------------------------------


def _authority(scope: Scope, programme: str) -> Unit:
    """The unit whose content the viewer writes: the ministry for programme 01, their province for 02."""
    if programme == Programme.BD01:
        unit = national_unit()
        if unit is not None and scope.holds_at(Perm.CONTENT_MANAGE, unit):
            return unit
    elif programme in (Programme.BD02, Programme.BD03):
        unit = departments_managed(scope=scope).first()
        if unit is not None:
            return unit
    raise PermissionDenied


def _writable_programmes(scope: Scope) -> list[str]:
    out: list[str] = []
    for programme in (Programme.BD01, Programme.BD02):
        try:
            _authority(scope, programme)
        except PermissionDenied:
            continue
        out.append(programme)
    return out


def content_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = request.scope
    year = _year(request)
    writable = _writable_programmes(scope)
    anchor, programmes = selectors.content_anchor(scope=scope, writable=writable)
    params = request.GET.copy()
    params["year"] = str(year.pk)
    if "level" not in params and "audience" not in params and anchor is not None and not writable:
        params.update(selectors.content_defaults(scope=scope, unit=anchor, school_year=year))
    form = ContentFilterForm(params, years=_years())
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    level, audience = data.get("level") or "", data.get("audience") or ""
    items = list(selectors.content_list(scope=scope, school_year=year, level=level, audience=audience))
    focus = list(selectors.focus_list(scope=scope, school_year=year, level=level, audience=audience))
    gaps = []
    if anchor is not None:
        gaps = selectors.content_hours_check(
            items=items, anchor=anchor, school_year=year, programmes=programmes, level=level, audience=audience
        )
    bd01 = [i for i in items if i.programme == Programme.BD01]
    bd02 = [i for i in items if i.programme == Programme.BD02]
    return render(
        request,
        "catalog/content_list.html",
        {
            "form": form,
            "year": year,
            "level": level,
            "bd01": bd01,
            "bd02": bd02,
            "bd01_total": sum(i.hours for i in bd01),
            "bd02_total": sum(i.hours for i in bd02),
            "bd02_many": len({i.unit_id for i in bd02}) > 1,
            "focus": focus,
            "focus_many": len({f.unit_id for f in focus}) > 1,
            "writable": writable,
            "own_unit_ids": set(scope.units_with(Perm.CONTENT_MANAGE)),
            "gaps": gaps,
            "anchor": anchor,
            "hours": selectors.hours_or_none(unit=anchor, school_year=year) if anchor else None,
        },
    )


def _content_url(year: SchoolYear) -> str:
    return f"{reverse('catalog:content')}?year={year.pk}"


def content_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = request.GET.get("programme") or request.POST.get("programme") or Programme.BD01
    if programme not in (Programme.BD01, Programme.BD02):
        raise Http404
    unit = _authority(request.scope, programme)
    year = _year(request)
    form = ContentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.content_create(
                scope=request.scope,
                unit=unit,
                school_year=year,
                programme=programme,
                **form.cleaned_data,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(_content_url(year))
    context = {"form": form, "programme": programme, "unit": unit, "year": year}
    return render(request, "catalog/content_form.html", context)


def _content(request: AuthenticatedHttpRequest, uuid: str) -> ProgrammeContent:
    try:
        item = selectors.content_get(scope=request.scope, uuid=uuid)
    except ProgrammeContent.DoesNotExist:
        raise Http404 from None
    if not request.scope.holds_at(Perm.CONTENT_MANAGE, item.unit):
        raise PermissionDenied
    return item


def content_edit(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    item = _content(request, uuid)
    form = ContentForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        changed = {k: form.cleaned_data[k] for k in form.changed_data}
        item.refresh_from_db()
        try:
            services.content_update(scope=request.scope, item=item, **changed)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(_content_url(item.school_year))
    context = {"form": form, "item": item, "programme": item.programme, "unit": item.unit, "year": item.school_year}
    return render(request, "catalog/content_form.html", context)


@require_POST
def content_delete(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    item = _content(request, uuid)
    services.content_delete(scope=request.scope, item=item)
    messages.success(request, _("The topic was deleted."))
    return redirect(_content_url(item.school_year))


def focus_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    unit = _authority(request.scope, Programme.BD03)
    year = _year(request)
    form = FocusForm(request.POST or None, modules=selectors.module_list(f=selectors.ModuleFilter(school_year=year)))
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_module_add(scope=request.scope, unit=unit, school_year=year, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Saved."))
            return redirect(_content_url(year))
    return render(request, "catalog/focus_form.html", {"form": form, "unit": unit, "year": year})


@require_POST
def focus_delete(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    try:
        focus = selectors.focus_get(scope=request.scope, uuid=uuid)
    except FocusModule.DoesNotExist:
        raise Http404 from None
    services.focus_module_remove(scope=request.scope, focus=focus)
    messages.success(request, _("The focus module was removed."))
    return redirect(_content_url(focus.school_year))


# --- periods a province gives modules the ministry's catalog gives none --------------------------


def _province(request: AuthenticatedHttpRequest, uuid: str) -> Unit:
    """The province of the page: 404 unless it is the viewer's own or in their subtree, 403 unless
    they manage the catalog at that Sở itself."""
    province = get_in_scope_or_404(selectors.local_hours_province_get, scope=request.scope, uuid=uuid)
    if not request.scope.holds_at(Perm.CATALOG_MANAGE, province):
        raise PermissionDenied
    return province


def _local_hours_url(province: Unit, year: SchoolYear, module: Module | None = None) -> str:
    url = f"{reverse('catalog:local_hours', kwargs={'uuid': province.uuid})}?year={year.pk}"
    return f"{url}#m-{module.uuid}" if module is not None else url


def local_hours_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The periods page of the viewer's own province (403 for anyone who is not a Sở)."""
    province = selectors.province_for_scope(scope=request.scope)
    if province is None:
        raise PermissionDenied
    return redirect(_local_hours_url(province, _year(request)))


def _local_hours_page(
    request: AuthenticatedHttpRequest, province: Unit, year: SchoolYear, failed: tuple[Module, LocalHoursForm] | None
) -> HttpResponse:
    page = selectors.local_hours_page(province=province, school_year=year)
    lines = []
    for line in page.lines:
        if failed is not None and failed[0].pk == line.module.pk:
            form = failed[1]
        else:
            initial = {"hours": line.local.hours, "source": line.local.source} if line.local else {}
            form = LocalHoursForm(prefix=f"m{line.module.pk}", initial=initial)
        lines.append((line, form))
    if failed is not None and all(line.module.pk != failed[0].pk for line in page.lines):
        for errors in failed[1].errors.values():  # a module not on the page: the ministry's periods count
            for message in errors:
                messages.error(request, str(message))
    context = {"province": province, "year": year, "years": school_year_list(), "page": page, "lines": lines}
    return render(request, "catalog/local_hours.html", context)


def local_hours(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The province's periods of the modules the ministry's catalog gives none, for a school year."""
    return _local_hours_page(request, _province(request, uuid), _year(request), failed=None)


@require_POST
def local_hours_set(request: AuthenticatedHttpRequest, uuid: str, module: str) -> HttpResponse:
    province = _province(request, uuid)
    year = _year(request)
    target = _module(str(module))
    form = LocalHoursForm(request.POST, prefix=f"m{target.pk}")
    if form.is_valid():
        try:
            services.module_local_hours_set(
                scope=request.scope,
                module=target,
                unit=province,
                school_year=year,
                hours=form.cleaned_data["hours"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request,
                _("Module %(code)s counts %(n)s periods in the province from %(year)s on.")
                % {"code": target.code, "n": form.cleaned_data["hours"], "year": year.label},
            )
            return redirect(_local_hours_url(province, year, target))
    return _local_hours_page(request, province, year, failed=(target, form))


@require_POST
def local_hours_clear(request: AuthenticatedHttpRequest, uuid: str, module: str) -> HttpResponse:
    province = _province(request, uuid)
    year = _year(request)
    target = _module(str(module))
    try:
        services.module_local_hours_clear(scope=request.scope, module=target, unit=province, school_year=year)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Module %(code)s has no periods in the province from %(year)s on.")
            % {"code": target.code, "year": year.label},
        )
    return redirect(_local_hours_url(province, year, target))
