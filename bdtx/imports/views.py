from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bdtx.accounts.models import Perm


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    request.scope.require(Perm.PEOPLE_IMPORT)
    return render(request, "base.html", {})
