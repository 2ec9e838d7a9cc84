"""The record page of a person and its PDF: thin views over `records.selectors`."""

from django.http import HttpResponse
from django.shortcuts import render

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.records import selectors
from bdtx.records.pdf import record_pdf


def _record(request: AuthenticatedHttpRequest, uuid: str) -> selectors.Record:
    """The person (404 outside the scope), if the viewer may read their record (403 otherwise)."""
    person = get_in_scope_or_404(selectors.record_person_get, scope=request.scope, uuid=uuid)
    employments = selectors.record_employments(person=person)
    selectors.record_require_view(request.scope, person, employments)
    return selectors.record_build(person=person, employments=employments)


def record_detail(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    record = _record(request, uuid)
    return render(
        request,
        "records/record_detail.html",
        {"record": record, "person": record.person, "is_self": request.scope.is_person(record.person.pk)},
    )


def record_pdf_download(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    record = _record(request, uuid)
    response = HttpResponse(record_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ho-so-bdtx-{record.person.uuid}.pdf"'
    return response
