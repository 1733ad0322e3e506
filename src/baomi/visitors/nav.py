"""Navigation entry of the visitors register (监督检查 section, SUP-4)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(69, _("Visitors"), "visitors:list", "visitors_browse")]
