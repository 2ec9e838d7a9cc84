"""The xAPI endpoint an LMS pushes statements to (issue 9): `POST /api/v1/xapi/statements`.

Authenticated by the LMS's bearer token (not a user session, so no CSRF), throttled per token. The
body is one statement or a list; verbs completed / passed / failed / scored; the actor is the LMS
username (`account.name`, see `bdtx.training.lms`) or `mbox` (mailto:e-mail); the object is the
cohort's activity (`urn:bdtx:cohort:<uuid>`, as in the exported account list). A batch is accepted
whole or refused whole: 200 with the statement ids (a statement id received before writes nothing),
400 naming the unknown learner or module or the malformed statement, 401 without a valid token,
403 for a cohort outside the area the LMS serves.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from bdtx.training.lms import XapiRefused, lms_for_token, token_hash, xapi_statements_accept


def _bearer(request: Request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    kind, _sep, token = header.partition(" ")
    return token.strip() if kind.lower() == "bearer" else ""


class LmsTokenThrottle(SimpleRateThrottle):
    """At most 600 requests a minute per token (of up to 500 statements each); per address without one."""

    scope = "xapi"
    rate = "600/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        token = _bearer(request)
        ident = token_hash(token)[:32] if token else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


STATEMENT_EXAMPLE = {
    "id": "6a1c7e1e-8f1b-4a52-9c8e-0d7b1f2a3c4d",
    "actor": {"account": {"homePage": "https://lms.example.vn", "name": "<LMS username from the account list>"}},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/passed"},
    "object": {"id": "urn:bdtx:cohort:<cohort uuid>"},
    "result": {"score": {"scaled": 0.85}, "success": True, "completion": True},
    "timestamp": "2026-12-20T10:00:00+07:00",
}


class XapiStatements(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes = [LmsTokenThrottle]

    @extend_schema(
        operation_id="xapi_statements_post",
        summary="Push xAPI statements (LMS results)",
        description=__doc__,
        request=OpenApiTypes.OBJECT,
        responses={
            200: inline_serializer("XapiAccepted", {"ids": serializers.ListField(child=serializers.UUIDField())}),
            400: OpenApiResponse(description="A malformed statement, or an unknown learner or module"),
            401: OpenApiResponse(description="No valid LMS token"),
            403: OpenApiResponse(description="A cohort outside the area the LMS serves"),
            429: OpenApiResponse(description="Too many requests"),
        },
        examples=[OpenApiExample("One statement", value=STATEMENT_EXAMPLE, request_only=True)],
        tags=["xapi"],
    )
    def post(self, request: Request) -> Response:
        lms = lms_for_token(_bearer(request))
        if lms is None:
            return Response(
                {"detail": _("The LMS token is missing or wrong.")},
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": 'Bearer realm="xapi"'},
            )
        data = request.data
        statements = data if isinstance(data, list) else [data]
        try:
            outcome = xapi_statements_accept(lms=lms, statements=statements)
        except XapiRefused as e:
            return Response({"detail": e.message}, status=e.status)
        return Response(
            {"ids": outcome.ids, "stored": outcome.stored, "repeated": outcome.repeated},
            status=status.HTTP_200_OK,
            headers={"X-Experience-API-Version": "1.0.3"},
        )
