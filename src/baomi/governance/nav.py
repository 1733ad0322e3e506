"""Navigation entries of the governance records (OPS-1); they belong in 监督检查."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (67, _("Secrecy regime"), "governance:overview", "governance"),
]
