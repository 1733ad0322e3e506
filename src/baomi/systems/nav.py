"""Navigation entry of the information systems register (监督检查 section, SUP-7)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(68, _("Information systems"), "systems:list", "systems_browse")]
