"""Navigation entry of the data assets register (监督检查 section, SUP-8)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(68, _("Data assets"), "dataassets:list", "data_browse")]
