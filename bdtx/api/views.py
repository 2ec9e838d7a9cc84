"""JSON API: the same selectors and scope as the pages (401 anonymous, 403 no permission)."""

from typing import cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from bdtx.api.serializers import StaffSerializer, UnitSerializer
from bdtx.core.http import AuthenticatedHttpRequest, year_from_request
from bdtx.core.scope import Perm, Scope
from bdtx.organisations import selectors as unit_selectors
from bdtx.organisations.models import Unit
from bdtx.people import selectors as people_selectors
from bdtx.people.services import sensitive_read_record


def scope_of(request: Request) -> Scope:
    """The viewer's scope, attached to the Django request under DRF's by `ScopeMiddleware`."""
    return cast(AuthenticatedHttpRequest, request._request).scope


class ScopedMixin:
    permission: str = ""

    def check_permissions(self, request: Request) -> None:
        super().check_permissions(request)  # type: ignore[misc]
        if self.permission and not scope_of(request).has_anywhere(self.permission):
            raise PermissionDenied


@extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("kind", str)])
class UnitList(ScopedMixin, ListAPIView):
    serializer_class = UnitSerializer
    permission = Perm.UNITS_VIEW

    def get_queryset(self):
        p = self.request.query_params
        return unit_selectors.unit_list(
            scope=scope_of(self.request),
            kind=p.get("kind") or None,
            q=p.get("q", ""),
            difficult=p.get("difficult", ""),
        )


class UnitDetail(ScopedMixin, RetrieveAPIView):
    serializer_class = UnitSerializer
    permission = Perm.UNITS_VIEW

    def get_object(self) -> Unit:
        try:
            return unit_selectors.unit_get(scope=scope_of(self.request), uuid=self.kwargs["uuid"])
        except Unit.DoesNotExist:
            raise Http404 from None


@extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", str), OpenApiParameter("q", str)])
class StaffList(ScopedMixin, ListAPIView):
    serializer_class = StaffSerializer
    permission = Perm.PEOPLE_VIEW

    def _filter(self) -> tuple[people_selectors.StaffFilter, bool]:
        scope = scope_of(self.request)
        p = self.request.query_params
        unit = None
        if p.get("unit"):
            try:
                unit = unit_selectors.unit_get(scope=scope, uuid=p["unit"])
            except (Unit.DoesNotExist, ValidationError):
                raise Http404 from None
        year = year_from_request(self.request._request)
        keys = ("level", "position", "gender", "difficult", "q")
        f = people_selectors.StaffFilter(school_year=year, unit=unit, **{k: p.get(k, "") for k in keys})
        sensitive = scope.sees_sensitive(unit.path if unit else None)
        return f, sensitive

    def get_queryset(self):
        f, _ = self._filter()
        return people_selectors.staff_list(scope=scope_of(self.request), f=f)

    def list(self, request: Request, *args, **kwargs) -> Response:
        f, sensitive = self._filter()
        page = self.paginate_queryset(self.get_queryset())
        if sensitive and page:
            sensitive_read_record(
                actor_id=request.user.pk,
                person=None,
                count=len(page),
                unit_path=f.unit.path if f.unit else "",
                what="API staff list",
            )
        return self.get_paginated_response(StaffSerializer(page, many=True, sensitive=sensitive).data)
