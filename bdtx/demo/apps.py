from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo province (Sở GD&ĐT Cao Bằng) and its accounts: `manage.py load_demo`, `demo_accounts`."""

    name = "bdtx.demo"
    label = "demo"
    verbose_name = _("Demo")
