from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitConfig(AppConfig):
    """The glue every app uses (service decorator, registry, jobs, nav, demo, API base, error
    pages, page helpers, request base); it declares no parts of its own."""

    name = "baomi.kit"
    label = "kit"
    verbose_name = _("kit")
