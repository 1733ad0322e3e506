from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "baomi.vault"
    label = "vault"
    verbose_name = _("vault")
