"""Certificate pages: a unit's certificates of a year, bulk issuance with its progress, one
certificate (PDF, credential, revoke), a person's own, and the public verification page."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bdtx.certificates import selectors, services
from bdtx.certificates.credential import verify_credential
from bdtx.certificates.forms import CredentialCheckForm, RevokeForm
from bdtx.certificates.models import Certificate, CertificateStatus, IssueJob
from bdtx.core import uploads
from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404, year_from_request
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.organisations.filters import list_context_from_request
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import unit_get


def _base_url(request: HttpRequest) -> str:
    return services.public_base_url(request.build_absolute_uri("/"))


def _list_unit(request: AuthenticatedHttpRequest, unit: Unit | None) -> Unit:
    """The unit of the list: the one chosen, else the highest where the viewer issues certificates."""
    if unit is None:
        ids = request.scope.units_with(Perm.CERTIFICATES_ISSUE)
        unit = Unit.objects.filter(pk=ids[0]).first() if ids else None
    if unit is None:
        raise PermissionDenied
    request.scope.require(Perm.CERTIFICATES_ISSUE, unit.path)
    return unit


def certificate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    ctx = list_context_from_request(request)
    unit = _list_unit(request, ctx.unit)
    status, query = request.GET.get("status", ""), request.GET.get("q", "")[:100]
    qs = selectors.certificate_list(
        scope=request.scope, unit=unit, school_year=ctx.school_year, status=status, query=query
    )
    page, base = paginate(request, qs)
    context = {
        "ctx": ctx,
        "unit": unit,
        "page_obj": page,
        "querystring_base": base,
        "status": status,
        "q": query,
        "statuses": CertificateStatus.choices,
        "issuable": selectors.issuable_results(scope=request.scope, unit=unit, school_year=ctx.school_year).count(),
        "jobs": selectors.issue_job_list(scope=request.scope, unit=unit, school_year=ctx.school_year)[:5],
    }
    return render(request, "certificates/certificate_list.html", context)


@require_POST
def issue_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.POST.get("unit")
    unit = _list_unit(request, get_in_scope_or_404(unit_get, scope=request.scope, uuid=raw) if raw else None)
    job = services.issue_job_start(
        scope=request.scope,
        unit=unit,
        school_year=year_from_request(request),
        base_url=_base_url(request),
        language=get_language() or "",
    )
    return redirect(job)


def _job(request: AuthenticatedHttpRequest, uuid: str) -> IssueJob:
    job = get_in_scope_or_404(selectors.issue_job_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.CERTIFICATES_ISSUE, job.unit.path)
    services.issue_job_expire(job=job)
    return job


def job_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    return render(request, "certificates/job_detail.html", {"job": _job(request, uuid)})


def job_progress(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = _job(request, uuid)
    response = render(request, "certificates/_progress.html", {"job": job})
    if request.htmx and not job.is_running:
        response["HX-Refresh"] = "true"  # the links to the files are on the full page
    return response


def job_file(request: AuthenticatedHttpRequest, uuid: str, kind: str) -> FileResponse:
    """The job's combined PDF or its .zip, kept under MEDIA_ROOT, served only to who may issue there."""
    job = _job(request, uuid)
    file = job.pdf if kind == "pdf" else job.archive
    if not file:
        raise Http404
    name = f"giay-chung-nhan-{job.school_year.label}.{kind}"
    content_type = "application/pdf" if kind == "pdf" else "application/zip"
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def issuer_background(request: AuthenticatedHttpRequest, uuid: str) -> FileResponse:
    """An issuer's background image, to its own staff who issue certificates."""
    issuer = get_in_scope_or_404(selectors.issuer_get, scope=request.scope, uuid=uuid)
    if not request.scope.holds_at(Perm.CERTIFICATES_ISSUE, issuer.unit):
        raise PermissionDenied
    if not issuer.background:
        raise Http404
    return uploads.file_response(issuer.background, filename="nen-giay-chung-nhan", allowed={"png", "jpeg"})


def _certificate(request: AuthenticatedHttpRequest, uuid: str) -> Certificate:
    """A certificate in the viewer's scope (else 404): its person, or who may issue there (else 403)."""
    certificate = get_in_scope_or_404(selectors.certificate_get, scope=request.scope, uuid=uuid)
    if not request.scope.is_person(certificate.person_id):
        request.scope.require(Perm.CERTIFICATES_ISSUE, certificate.unit.path)
    return certificate


def certificate_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    certificate = _certificate(request, uuid)
    may_revoke = request.scope.holds_at(Perm.CERTIFICATES_ISSUE, certificate.issuer.unit)
    context = {
        "certificate": certificate,
        "may_revoke": may_revoke and not certificate.is_revoked,
        "form": RevokeForm(),
    }
    return render(request, "certificates/certificate_detail.html", context)


def certificate_pdf(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    certificate = _certificate(request, uuid)
    response = HttpResponse(services.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, services.certificate_filename(certificate))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def certificate_credential(request: AuthenticatedHttpRequest, uuid: str) -> JsonResponse:
    certificate = _certificate(request, uuid)
    response = JsonResponse(certificate.credential, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = content_disposition_header(
        True, services.certificate_filename(certificate, "json")
    )
    return response


@require_POST
def certificate_revoke(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    certificate = _certificate(request, uuid)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                scope=request.scope, certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The certificate was revoked."))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect(certificate)


def certificate_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in person's own certificates, to download."""
    return render(
        request,
        "certificates/certificate_mine.html",
        {"certificates": selectors.certificate_own_list(scope=request.scope)},
    )


def _credential_check(certificate: Certificate, text: str) -> str:
    """'valid', 'mismatch' (signed by the issuer, but another certificate's), or 'invalid'."""
    try:
        credential = json.loads(text)
    except ValueError:
        return "invalid"
    if not isinstance(credential, dict):
        return "invalid"
    keys = selectors.issuer_public_keys(issuer=certificate.issuer)
    if not any(verify_credential(credential, key) for key in keys):
        return "invalid"
    document = {k: v for k, v in credential.items() if k != "proof"}
    issued = {k: v for k, v in certificate.credential.items() if k != "proof"}
    return "valid" if document == issued else "mismatch"


@login_not_required
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: what is needed to trust a certificate, nothing sensitive. An unknown token, whatever it
    is, answers the same 404 page; there is no lookup by number."""
    certificate = selectors.certificate_by_token(token=token)
    if certificate is None:
        return render(request, "certificates/verify_unknown.html", status=404)
    form = CredentialCheckForm(request.POST or None, request.FILES or None)
    check = (
        _credential_check(certificate, form.cleaned_data["text"])
        if request.method == "POST" and form.is_valid()
        else ""
    )
    context = {"certificate": certificate, "s": certificate.snapshot, "form": form, "check": check}
    return render(request, "certificates/verify.html", context)
