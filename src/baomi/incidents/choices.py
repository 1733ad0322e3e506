"""Choices of the incidents app (SUP-2, R-INC-1..5), with Chinese labels through translations."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentKind(models.TextChoices):
    """What happened (SUP-2). The kind decides which duties apply: the 24-hour upward report
    for leaks of state secrets and network-data incidents (R-INC-1, R-INC-4), the notice to the
    individuals for personal information (R-INC-3)."""

    LOST_CARRIER = "lost_carrier", _("Lost carrier")
    SUSPECTED_LEAK = "suspected_leak", _("Suspected leak")
    NETWORK_DATA = "network_data", _("Network or data incident")
    PERSONAL_INFORMATION = "personal_information", _("Personal-information incident")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    """Where an incident stands. The three first values are the ones the supervision stub
    stored; existing rows keep them."""

    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Under investigation")
    CONCLUDED = "concluded", _("Concluded")
    CLOSED = "closed", _("Closed")


class Recipient(models.TextChoices):
    """The two recipients of the report within 24 hours (R-INC-1, 实施条例 Art 61)."""

    SAME_LEVEL = "same_level", _("Same-level secrecy administration")
    SUPERIOR = "superior", _("Superior department")


class Channel(models.TextChoices):
    """How a report or notice went out."""

    PHONE = "phone", _("Telephone")
    CONFIDENTIAL_FAX = "confidential_fax", _("Confidential fax")
    CONFIDENTIAL_MAIL = "confidential_mail", _("Confidential mail service (机要通信)")
    DOCUMENT = "document", _("Official document")
    IN_PERSON = "in_person", _("In person")
    SECURE_NETWORK = "secure_network", _("Classified network")
    OTHER = "other", _("Other")


class EntryKind(models.TextChoices):
    """Entries of an incident's journal; none is ever changed once written (R-INC-5)."""

    ACTION = "action", _("Remedial action")
    NOTE = "note", _("Investigation note")
    NOTIFICATION = "notification", _("Notification (通报)")
    ADDENDUM = "addendum", _("Addendum")


class ReviewResult(models.TextChoices):
    """The conclusion of the 保密审核 of the incident."""

    LEAKED = "leaked", _("State secret leaked")
    POSSIBLY_LEAKED = "possibly_leaked", _("Leak cannot be ruled out")
    NOT_LEAKED = "not_leaked", _("No leak")
    NOT_SECRET = "not_secret", _("No state secret involved")


class NoticeAudience(models.TextChoices):
    """Who a personal-information incident is notified to (R-INC-3, PIPL Art 57)."""

    INDIVIDUALS = "individuals", _("The individuals concerned")
    SUPERVISOR = "supervisor", _("The supervising department")
