"""Choices of the secret meetings register (SUP-12, R-SITE-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    IN_SESSION = "in_session", _("In session")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class AttendeeRole(models.TextChoices):
    ATTENDEE = "attendee", _("Attendee")
    STAFF = "staff", _("Meeting staff")


class IssueStatus(models.TextChoices):
    """A carrier issued at a meeting: its loan awaits approval, it is handed out and signed for,
    then recovered — or reported missing (an incident)."""

    REQUESTED = "requested", _("Loan awaiting approval")
    HANDED_OUT = "handed_out", _("Handed out")
    RECOVERED = "recovered", _("Recovered")
    MISSING = "missing", _("Missing")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Issues that keep a meeting from closing (R-SITE-2: carriers managed, all recovered).
OPEN_ISSUES = frozenset({IssueStatus.REQUESTED, IssueStatus.HANDED_OUT})
