from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Learner surveys (phiếu khảo sát ý kiến người học): questionnaires as data, attached to cohorts,
    answered anonymously; response tracking and reminders; results for Biểu 3 section III."""

    name = "bdtx.surveys"
    label = "surveys"
    verbose_name = _("Learner surveys")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.surveys.audit import ACTIONS

        audit_actions.register(*ACTIONS, app=self.label)

        from bdtx.notifications.kinds import notification_kinds
        from bdtx.notifications.reminders import register_reminder
        from bdtx.surveys.notifications import KINDS, survey_waiting_reminders

        notification_kinds.register(*KINDS, app=self.label)
        register_reminder("surveys.waiting", survey_waiting_reminders)
