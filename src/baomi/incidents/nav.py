"""Navigation entries of the incidents app (OPS-1), in the 监督检查 section."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (62, _("Incidents"), "incidents:list", "incident_list"),
    (63, _("Report an incident"), "incidents:report", "report_incident"),
]
