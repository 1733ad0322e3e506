"""Navigation of the audit app: the auditor's trail (SEC-3)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [(80, _("Audit trail"), "audit:list", "read_audit")]
