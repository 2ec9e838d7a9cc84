"""The import pages, the same for every kind: jobs, upload, result with its problems, confirm, downloads."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from bdtx.core import uploads
from bdtx.core.exporters import xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.importing import base as importing
from bdtx.core.importing.base import Importer
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.imports import exporters, selectors, services
from bdtx.imports.forms import ImportUploadForm
from bdtx.imports.models import ImportJob
from bdtx.people.services import sensitive_read_record

PROBLEMS_PER_PAGE = 100


def _importer(request: AuthenticatedHttpRequest, kind: str) -> Importer[Any, Any]:
    """The importer of `kind` (404 if there is none), if the viewer may use it (else 403)."""
    try:
        importer = importing.get(kind)
    except KeyError:
        raise Http404 from None
    if not importer.may_import(request.scope):
        raise PermissionDenied
    return importer


def _job(request: AuthenticatedHttpRequest, uuid: str) -> ImportJob:
    """The job if it is inside the viewer's scope (else 404) and they may import its kind there (else 403)."""
    if not selectors.may_import_anything(scope=request.scope):
        raise PermissionDenied
    job = get_in_scope_or_404(selectors.import_job_get, scope=request.scope, uuid=uuid)
    try:
        importer = job.importer
    except KeyError:
        raise Http404 from None
    importer.check_permission(request.scope, job.unit)
    return job


def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    importers = selectors.importers_for(scope=request.scope)
    if not importers:
        raise PermissionDenied
    services.import_jobs_expire()  # jobs a dead worker left "running" show as failed, to retry
    page, base = paginate(request, selectors.import_job_list(scope=request.scope))
    context = {"page_obj": page, "querystring_base": base, "importers": importers}
    return render(request, "imports/import_list.html", context)


def _add_errors(e: ValidationError, *forms_: forms.Form | None) -> None:
    """Show a service's ValidationError on the field it names, in whichever form has that field."""
    main = forms_[0]
    assert main is not None
    if not hasattr(e, "error_dict"):
        main.add_error(None, e)
        return
    for name, errors in e.error_dict.items():
        owner = next((f for f in forms_ if f is not None and name in f.fields), None)
        (owner or main).add_error(name if owner else None, errors)


def import_new(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    importer = _importer(request, kind)
    units = importer.unit_choices(request.scope)
    data, files = request.POST or None, request.FILES or None
    form = ImportUploadForm(
        data, files, importer=importer, units=units, current_year=school_year_current(), scope=request.scope
    )
    options = importer.options_form(data, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid() & (options is None or options.is_valid()):
        d = form.cleaned_data
        unit = d.get("unit") or units.first()
        if unit is None:
            raise PermissionDenied
        try:
            job = services.import_job_create(
                scope=request.scope,
                kind=importer.key,
                unit=unit,
                school_year=d.get("school_year"),
                upload=d["file"],
                options=options.cleaned_data if options is not None else {},
                check_only=d["check_only"],
                language=get_language() or "",
            )
        except ValidationError as e:
            _add_errors(e, form, options)
        else:
            return redirect(job)
    recent = selectors.import_job_list(scope=request.scope, kind=importer.key)[:10]
    context = {"form": form, "options": options, "importer": importer, "recent": recent}
    return render(request, "imports/import_new.html", context)


def import_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    template = _importer(request, kind).template(request.scope)
    if template is None:
        raise Http404
    return xlsx_response(template.content, template.filename)


def import_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    if services.import_jobs_expire(job=job):
        job.refresh_from_db()
    importer = job.importer
    info = job.info()
    sensitive = request.scope.sees_sensitive(job.unit.path)
    page, base = paginate(request, job.problems, per_page=PROBLEMS_PER_PAGE)
    if sensitive and any(p.get("key") in importer.sensitive_keys and p.get("value") for p in page):
        sensitive_read_record(
            actor_id=request.user.pk, person=None, unit_path=job.unit.path, what=f"import problems {job.uuid}"
        )
    context = {
        "job": job,
        "importer": importer,
        "description": importer.describe(info),
        "result_link": importer.result_link(info) if job.status == ImportJob.Status.DONE else None,
        "page_obj": page,
        "querystring_base": base,
        "hidden_keys": () if sensitive else sorted(importer.sensitive_keys),
        "file_link": sensitive or not importer.sensitive_file,
    }
    return render(request, "imports/import_detail.html", context)


def import_moved(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """An old address of a catalog or TEMIS job (its uuid was kept): the job's page, if the viewer may see it."""
    return redirect(_job(request, uuid))


def import_progress(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    if services.import_jobs_expire(job=job):
        job.refresh_from_db()
    response = render(request, "imports/_progress.html", {"job": job})
    if request.htmx and not job.is_running:
        response["HX-Refresh"] = "true"  # the result (problems, counts) is on the full page
    return response


@require_POST
def import_confirm(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    only_valid = request.POST.get("only_valid") == "1"
    try:
        services.import_job_confirm(scope=request.scope, job=job, only_valid=only_valid)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(job)


@require_POST
def import_retry(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    try:
        services.import_job_retry(scope=request.scope, job=job)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(job)


def import_file(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    """The kept upload. A file with personal data needs the sensitive-data permission, and the read is logged."""
    job = _job(request, uuid)
    if job.importer.sensitive_file:
        request.scope.require(Perm.SENSITIVE_VIEW, job.unit.path)
        sensitive_read_record(
            actor_id=request.user.pk, person=None, unit_path=job.unit.path, what=f"import file {job.uuid}"
        )
    return uploads.file_response(
        job.file, filename=job.original_filename, allowed=uploads.IMPORT_TYPES, attachment=True
    )


def import_errors(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    sensitive = request.scope.sees_sensitive(job.unit.path)
    if sensitive and any(p.get("key") in job.importer.sensitive_keys and p.get("value") for p in job.problems):
        sensitive_read_record(
            actor_id=request.user.pk, person=None, unit_path=job.unit.path, what=f"import problems file {job.uuid}"
        )
    return xlsx_response(exporters.problem_report_xlsx(job, sensitive=sensitive), f"loi-nhap-{job.uuid}.xlsx")
