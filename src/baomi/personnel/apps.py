from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "baomi.personnel"
    label = "personnel"
    verbose_name = _("personnel")
