"""Pagination for list pages: a fixed page size and the query string kept across pages."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, qs: QuerySet, per_page: int = PAGE_SIZE) -> tuple[Page, str]:
    """The requested page of `qs` and the query string (without 'page') for the page links."""
    page = Paginator(qs, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    return page, (base + "&") if base else ""
