"""Audit events of the incidents app (SUP-2, R-INC-1..5), block 1100-1199.

INCIDENT_OPENED keeps its code 500 in ``baomi.audit.events.AuditEvent`` (rows before the move
carry it inside their MAC); every newer incident event is here.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentEvent(models.IntegerChoices):
    INCIDENT_REPORTED = 1100, _("Incident reported")
    INCIDENT_ASSIGNED = 1101, _("Incident assigned")
    INCIDENT_REPORTED_UPWARD = 1102, _("Incident reported upward")
    INCIDENT_ACTION_RECORDED = 1103, _("Remedial action recorded")
    INCIDENT_CASE_FILED = 1104, _("Incident case filed")
    INCIDENT_NOTE_RECORDED = 1105, _("Investigation note recorded")
    INCIDENT_CONCLUDED = 1106, _("Incident concluded")
    INCIDENT_NOTIFIED = 1107, _("Incident notification issued")
    INCIDENT_NOTICE_RECORDED = 1108, _("Personal-information notice recorded")
    INCIDENT_CLOSED = 1109, _("Incident closed")
    INCIDENT_ADDENDUM_RECORDED = 1110, _("Incident addendum recorded")
    INCIDENT_INVOLVED = 1111, _("Carrier or item linked to an incident")
    INCIDENT_REMINDED = 1112, _("Incident reporting reminder raised")
    INCIDENT_OVERDUE = 1113, _("Incident reporting deadline passed")
    INCIDENT_UPDATED = 1114, _("Incident details corrected")
