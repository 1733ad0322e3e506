from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    """Shared page, table and export helpers of the supervision registers (SUP-4..8, SUP-12/13):
    key places, devices, systems, data assets, meetings, visitors and contractors. No models."""

    name = "baomi.registers"
    label = "registers"
    verbose_name = _("registers")
