"""Navigation entry of the key departments and places register (监督检查 section, SUP-5)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(67, _("Key places"), "sites:places", "sites_browse")]
