"""Navigation entry of the media and devices register (监督检查 section, SUP-6)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(67, _("Media and devices"), "devices:list", "devices_browse")]
