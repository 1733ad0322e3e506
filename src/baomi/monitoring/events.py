"""Audit events of the monitoring app (SEC-5), in its reserved block 2100–2199."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringEvent(models.IntegerChoices):
    MONITOR_RULE_CHANGED = 2100, _("Monitoring rule changed")
    ALERT_RAISED = 2101, _("Alert raised")
    ALERT_ACKNOWLEDGED = 2102, _("Alert acknowledged")
    ALERT_CLOSED = 2103, _("Alert closed")
    ALERT_ESCALATED = 2104, _("Alert escalated to an incident")
    MONITOR_EVALUATED = 2105, _("Audit stream evaluated for alerts")
