# Placeholder views: the standards engineer replaces these.
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_assessment(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})
