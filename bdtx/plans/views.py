# Placeholder views: the plans engineers replace these.
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_plan(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
