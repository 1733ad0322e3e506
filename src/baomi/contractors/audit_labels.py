"""Display labels of the contractors audit events (20xx block of ``audit/events.py``), listed
so that ``makemessages`` extracts them into this app's catalogue. Keep in step."""

from django.utils.translation import gettext_lazy as _

AUDIT_EVENT_LABELS = [
    _("Contractor registered"),
    _("Contractor updated"),
    _("Contractor suspended"),
    _("Contractor reinstated"),
    _("Secrecy qualification recorded"),
    _("Secrecy qualification revoked"),
    _("Contractor engagement started"),
    _("Contractor engagement closed"),
    _("Qualification expiry reminder raised"),
    _("Contractor register exported"),
]
