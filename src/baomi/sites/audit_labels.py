"""The display labels of the key places audit events (14xx block of ``audit/events.py``),
listed here so that ``makemessages`` extracts them into this app's catalogue. Keep in step."""

from django.utils.translation import gettext_lazy as _

AUDIT_EVENT_LABELS = [
    _("Key department designated"),
    _("Key department confirmed"),
    _("Key department revoked"),
    _("Key department updated"),
    _("Key place registered"),
    _("Key place updated"),
    _("Key place confirmed"),
    _("Key place revoked"),
    _("Cabinet added"),
    _("Cabinet updated"),
    _("Cabinet retired"),
    _("Place check planned"),
    _("Place check recorded"),
    _("Place check findings rectified"),
    _("Key place reminder raised"),
    _("Key places register exported"),
    _("Carrier storage places linked to cabinets"),
]
