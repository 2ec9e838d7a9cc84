from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from bdtx.core.exporters import xlsx_response
from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import school_year_current
from bdtx.imports import exporters, selectors, services
from bdtx.imports.forms import ImportUploadForm
from bdtx.imports.models import ImportJob
from bdtx.imports.staff import SENSITIVE_KEYS
from bdtx.people.services import sensitive_read_record

ERRORS_PER_PAGE = 100


def _job(request: AuthenticatedHttpRequest, uuid: str) -> ImportJob:
    """The job if it is inside the viewer's scope (else 404) and they may import there (else 403)."""
    request.scope.require(Perm.PEOPLE_IMPORT)
    try:
        job = selectors.import_job_get(scope=request.scope, uuid=uuid)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    request.scope.require(Perm.PEOPLE_IMPORT, job.unit.path)
    return job


def import_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_IMPORT)
    page, base = paginate(request, selectors.import_job_list(scope=request.scope))
    return render(request, "imports/import_list.html", {"page_obj": page, "querystring_base": base})


def import_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_IMPORT)
    units = selectors.import_unit_choices(scope=request.scope)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, units=units, current_year=school_year_current()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = services.import_job_create(
            actor_id=request.user.pk,
            scope=request.scope,
            unit=data["unit"],
            school_year=data["school_year"],
            upload=data["file"],
            check_only=data["check_only"],
            language=get_language() or "",
        )
        return redirect(job)
    return render(request, "imports/import_new.html", {"form": form})


def import_template(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_IMPORT)
    unit = selectors.import_unit_choices(scope=request.scope).first()
    content = exporters.staff_template_xlsx(
        units=selectors.import_template_units(scope=request.scope),
        ethnicities=selectors.ethnicity_list(),
        school_year=school_year_current().label,
        unit_name=unit.name if unit else "",
    )
    return xlsx_response(content, "mau-danh-sach-can-bo.xlsx")


def import_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    page, base = paginate(request, job.errors, per_page=ERRORS_PER_PAGE)
    context = {
        "job": job,
        "page_obj": page,
        "querystring_base": base,
        "sensitive": request.scope.sees_sensitive(job.unit.path),
        "sensitive_keys": sorted(SENSITIVE_KEYS),
    }
    return render(request, "imports/import_detail.html", context)


def import_progress(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    response = render(request, "imports/_progress.html", {"job": job})
    if request.htmx and not job.is_running:
        response["HX-Refresh"] = "true"  # the result (errors, counts) is on the full page
    return response


@require_POST
def import_confirm(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    only_valid = request.POST.get("only_valid") == "1"
    try:
        services.import_job_confirm(actor_id=request.user.pk, scope=request.scope, job=job, only_valid=only_valid)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(job)


def import_file(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    job = _job(request, uuid)
    request.scope.require(Perm.SENSITIVE_VIEW, job.unit.path)
    sensitive_read_record(
        actor_id=request.user.pk, person=None, unit_path=job.unit.path, what=f"import file {job.uuid}"
    )
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.original_filename)


def import_errors(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    sensitive = request.scope.sees_sensitive(job.unit.path)
    return xlsx_response(exporters.error_report_xlsx(job, sensitive=sensitive), f"loi-nhap-{job.uuid}.xlsx")
