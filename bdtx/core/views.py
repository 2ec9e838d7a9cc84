import uuid

from django.http import HttpResponse
from django.shortcuts import render

from bdtx.core.audit import audit_actions
from bdtx.core.forms import AuditFilterForm
from bdtx.core.http import AuthenticatedHttpRequest
from bdtx.core.paging import paginate
from bdtx.core.scope import Perm
from bdtx.core.selectors import AuditFilter
from bdtx.core.selectors import audit_list as select_audit


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def audit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    request.scope.require(Perm.AUDIT_VIEW)
    actions = sorted(((a.code, str(a.label)) for a in audit_actions), key=lambda c: c[1])
    form = AuditFilterForm(request.GET, actions=actions)
    form.is_valid()  # a field that does not validate is left out; the others still filter
    data = form.cleaned_data
    obj = request.GET.get("object", "")
    f = AuditFilter(
        object_uuid=obj if _is_uuid(obj) else None,
        action=data.get("action") or "",
        who=data.get("who") or "",
        since=data.get("since"),
        until=data.get("until"),
        reads=data.get("reads") or "",
    )
    page, qs_base = paginate(request, select_audit(scope=request.scope, f=f))
    return render(request, "core/audit_list.html", {"page_obj": page, "querystring_base": qs_base, "form": form})
