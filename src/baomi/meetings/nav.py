"""Navigation entry of the secret meetings register (监督检查 section, SUP-12)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(69, _("Secret meetings"), "meetings:list", "meetings_browse")]
