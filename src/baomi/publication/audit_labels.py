"""The display labels of the publication audit events (12xx block of ``audit/events.py``), listed
here so that ``makemessages`` extracts them into the publication catalogue. Keep in step."""

from django.utils.translation import gettext_lazy as _

AUDIT_EVENT_LABELS = [
    _("Publication review requested"),
    _("Publication screened against the registry"),
    _("Publication agreed by the department"),
    _("Publication review decided"),
    _("Publication question referred"),
    _("Publication referral answered"),
    _("Publication recorded"),
    _("Publication of an unapproved version refused"),
    _("Publication review request withdrawn"),
    _("Publication deadline extended"),
    _("Withheld information re-assessed"),
    _("Publication reminder raised"),
    _("Publication review register exported"),
    _("Publication review form exported"),
    _("Publication screening hits viewed"),
    _("Screening keyword added"),
    _("Screening keyword changed"),
]
