from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """Pages that gather many apps: the landing page and a unit's page."""

    name = "bdtx.home"
    label = "home"
    verbose_name = _("Home")
