from django.http import HttpRequest

from bdtx.core.scope import Perm


def scope(request: HttpRequest) -> dict[str, object]:
    s = getattr(request, "scope", None)
    if s is None or not request.user.is_authenticated:
        return {}
    return {
        "scope": s,
        "can": {
            "people": s.has_anywhere(Perm.PEOPLE_VIEW),
            "import": s.has_anywhere(Perm.PEOPLE_IMPORT),
            "units": s.has_anywhere(Perm.UNITS_VIEW),
            "audit": s.has_anywhere(Perm.AUDIT_VIEW),
            "roles": s.has_anywhere(Perm.ROLES_MANAGE),
            "me": s.person_id is not None,
            "catalog_manage": s.has_anywhere(Perm.CATALOG_MANAGE),
            "content_manage": s.has_anywhere(Perm.CONTENT_MANAGE),
            "plans_review": s.has_anywhere(Perm.PLANS_APPROVE),
            "plans_board": s.has_anywhere(Perm.PLANS_VIEW),
            "standards_review": s.has_anywhere(Perm.STANDARDS_VIEW),
            "training": s.has_anywhere(Perm.TRAINING_VIEW),
            "training_manage": s.has_anywhere(Perm.TRAINING_MANAGE),
            "completion_approve": s.has_anywhere(Perm.TRAINING_APPROVE),
            # a school proposes its year results (PLANS_APPROVE), its authority recognises them
            "results": s.has_anywhere(Perm.PLANS_APPROVE) or s.has_anywhere(Perm.RESULTS_RECOGNISE),
            "results_recognise": s.has_anywhere(Perm.RESULTS_RECOGNISE),
            "reports": s.has_anywhere(Perm.REPORTS_VIEW),  # the results reports' board and the dashboards
            # Biểu 3 is the report of the levels that receive reports (offices, the Sở; the ministry reads it)
            "bieu3": s.has_anywhere(Perm.REPORTS_DECIDE),
        },
    }
