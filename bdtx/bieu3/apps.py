from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Bieu3Config(AppConfig):
    """Biểu 3 of seed letter 003, "Báo cáo kết quả bồi dưỡng giáo viên phổ thông và cán bộ quản lý
    giáo dục phổ thông" (issue 11): an office's or Sở's report on a period and a set of modules, its
    figures computed from data, its text sections typed and kept in the app, exported as .docx."""

    name = "bdtx.bieu3"
    label = "bieu3"
    verbose_name = _("Training results report (Biểu 3)")

    def ready(self) -> None:
        from bdtx.bieu3.audit import ACTIONS
        from bdtx.core.audit import audit_actions

        audit_actions.register(*ACTIONS, app=self.label)

        from bdtx.bieu3.summary import summarise
        from bdtx.summaries.registry import register

        register(self.label, summarise)
