from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Each person's BDTX record (hồ sơ BDTX): every year's plan, modules, scores, attendance,
    completion signals, result, certificate and core-teacher hours, on one page and as a PDF."""

    name = "bdtx.records"
    label = "records"
    verbose_name = _("BDTX records")

    def ready(self) -> None:
        from bdtx.core.person_links import register_person_link
        from bdtx.records.links import KEY, record_link

        register_person_link(KEY, record_link, order=90)
