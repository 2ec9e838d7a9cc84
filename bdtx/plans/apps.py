from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "bdtx.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self) -> None:
        from bdtx.core.audit import audit_actions
        from bdtx.core.person_links import register_person_link
        from bdtx.plans.audit import ACTIONS
        from bdtx.plans.personal.links import KEY, personal_plan_link

        audit_actions.register(*ACTIONS, app=self.label)
        register_person_link(KEY, personal_plan_link, order=20)

        from bdtx.notifications.kinds import notification_kinds
        from bdtx.notifications.reminders import register_reminder
        from bdtx.plans.notifications import KINDS, deadline_reminders

        notification_kinds.register(*KINDS, app=self.label)
        register_reminder("plans.deadlines", deadline_reminders)
