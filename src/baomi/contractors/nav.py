"""Navigation entry of the contractors register (监督检查 section, SUP-13)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(69, _("Contractors"), "contractors:list", "contractors_browse")]
