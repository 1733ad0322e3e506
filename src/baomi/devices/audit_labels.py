"""Display labels of the devices audit events (15xx block of ``audit/events.py``), listed so
that ``makemessages`` extracts them into this app's catalogue. Keep in step."""

from django.utils.translation import gettext_lazy as _

AUDIT_EVENT_LABELS = [
    _("Device registered"),
    _("Device updated"),
    _("Device put into use"),
    _("Device maintenance started"),
    _("Device maintenance finished"),
    _("Device scrapped"),
    _("Device reported lost"),
    _("Lost device found"),
    _("Device checked"),
    _("USB whitelist exported"),
    _("Device reminder raised"),
    _("Device register exported"),
]
