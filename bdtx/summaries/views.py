"""The progress of a background computation of figures (polled by the page that waits for it)."""

from django.http import HttpResponse
from django.shortcuts import render

from bdtx.core.http import AuthenticatedHttpRequest, get_in_scope_or_404
from bdtx.core.scope import Perm
from bdtx.summaries import selectors


def progress(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    job = get_in_scope_or_404(selectors.job_get, scope=request.scope, uuid=uuid)
    request.scope.require(Perm.REPORTS_VIEW, job.unit.path)
    response = render(request, "summaries/_progress.html", {"job": job})
    if request.htmx and not job.is_running:
        response["HX-Refresh"] = "true"  # the figures are on the page that waited
    return response
