"""Audit actions of learner surveys (registered from `SurveysConfig.ready`).

Answering is audited as a participation only: the entry names the survey and (as its actor) the
learner, never the answers nor the submission."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction

ACTIONS = [
    AuditAction(
        "questionnaire.create",
        _("Questionnaire created"),
        fields={"questions": _("questions"), "satisfied_from": _("satisfied from (1–5)")},
    ),
    AuditAction(
        "questionnaire.update",
        _("Questionnaire changed"),
        fields={"questions": _("questions"), "satisfied_from": _("satisfied from (1–5)"), "status": _("status")},
    ),
    AuditAction(
        "survey.attach",
        _("Survey attached to a cohort"),
        fields={"opens_on": _("opens on"), "closes_on": _("closes on")},
    ),
    AuditAction("survey.participate", _("Learner answered a survey")),
    AuditAction("survey.remind", _("Survey reminder sent"), fields={"learners": _("learners")}),
]
