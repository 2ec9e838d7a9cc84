import uuid

from django.http import HttpResponse
from django.shortcuts import render

from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import audit_list as select_audit


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.AUDIT_VIEW)
    obj = request.GET.get("object", "")
    qs = select_audit(
        scope=request.scope, action=request.GET.get("action") or None, object_uuid=obj if _is_uuid(obj) else None
    )
    page, qs_base = paginate(request, qs)
    return render(request, "core/audit_list.html", {"page_obj": page, "querystring_base": qs_base})
