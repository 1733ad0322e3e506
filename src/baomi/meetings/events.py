"""Audit events of the secret meetings register (block 1800–1899); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingsEvent(models.IntegerChoices):
    MEETING_PLANNED = 1800, _("Secret meeting planned")
    MEETING_APPROVED = 1801, _("Secret meeting approved")
    MEETING_REJECTED = 1802, _("Secret meeting refused")
    MEETING_OPENED = 1803, _("Secret meeting opened")
    MEETING_CLOSED = 1804, _("Secret meeting closed")
    MEETING_CANCELLED = 1805, _("Secret meeting cancelled")
    ATTENDEE_ADDED = 1810, _("Meeting attendee added")
    ATTENDEE_REMOVED = 1811, _("Meeting attendee removed")
    ATTENDEE_CHECKED = 1812, _("Attendee identity checked and briefed")
    MEETING_CARRIER_ISSUED = 1820, _("Carrier to be issued at a meeting")
    MEETING_CARRIER_HANDED_OUT = 1821, _("Meeting carrier handed out and signed for")
    MEETING_CARRIER_RECOVERED = 1822, _("Meeting carrier recovered")
    MEETING_CARRIER_MISSING = 1823, _("Meeting carrier missing")
    MEETING_CARRIER_WITHDRAWN = 1824, _("Meeting carrier withdrawn before issue")
    MEETINGS_REMINDED = 1840, _("Unrecovered meeting carriers reminder raised")
    MEETINGS_EXPORTED = 1850, _("Meetings register exported")
