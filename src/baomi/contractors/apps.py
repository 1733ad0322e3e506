from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractorsConfig(AppConfig):
    name = "baomi.contractors"
    label = "contractors"
    verbose_name = _("contractors")
