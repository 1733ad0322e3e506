from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitesConfig(AppConfig):
    name = "baomi.sites"
    label = "sites"
    verbose_name = _("key departments and places")
