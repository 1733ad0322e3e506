"""Choices of the monitoring app (SEC-5, R-SYS-5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    """What a monitoring rule watches for in the audit stream (SEC-5)."""

    LOGIN_FAILURES = "login_failures", _("Repeated login failures")
    BULK_EXPORT = "bulk_export", _("Bulk downloads, prints and exports")
    OFF_HOURS = "off_hours", _("Access outside working hours")
    DENIAL_BURST = "denial_burst", _("Burst of denied accesses")
    MANY_ITEMS = "many_items", _("Reads of many different classified items")
    ADMIN_OUT_OF_ROLE = "admin_out_of_role", _("Administrator acting outside their role")
    CHAIN_FAILURE = "chain_failure", _("Audit chain verification failure")
    SEALER_LAG = "sealer_lag", _("Audit sealer lagging")
    INTEGRITY_FAILURE = "integrity_failure", _("Integrity check failed on a level or mark")


class KeyKind(models.TextChoices):
    """What a rule counts per: one account, one department, one carrier, or the system."""

    ACCOUNT = "account", _("Per account")
    DEPARTMENT = "department", _("Per department")
    CARRIER = "carrier", _("Per carrier")
    SYSTEM = "system", _("The whole system")


class Audience(models.TextChoices):
    """Who an alert goes to (R-ROLE-2): the security officer watches ordinary users; the auditor
    watches the administrators and the audit trail itself."""

    SECURITY_OFFICER = "security_officer", _("Security officer")
    AUDITOR = "auditor", _("Auditor")


class AlertStatus(models.TextChoices):
    """Where an alert stands: new → acknowledged → closed with a note, or escalated."""

    NEW = "new", pgettext_lazy("alert status", "New")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("alert status", "Acknowledged")
    CLOSED = "closed", pgettext_lazy("alert status", "Closed")
    ESCALATED = "escalated", pgettext_lazy("alert status", "Escalated to an incident")


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)
