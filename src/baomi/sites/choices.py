"""Choices of the key departments and places register (SUP-5, R-SITE-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteStatus(models.TextChoices):
    """A key department or place: designated by the unit, confirmed by the same-level 保密局
    (R-SITE-1), or no longer key."""

    PROPOSED = "proposed", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REVOKED = "revoked", pgettext_lazy("registers", "Revoked")


class PlaceKind(models.TextChoices):
    """Kinds of key place: where carriers are produced, stored or kept (R-SITE-1)."""

    CONFIDENTIAL_OFFICE = "confidential_office", _("Confidential office")
    ARCHIVE = "archive", _("Classified archive or store room")
    MACHINE_ROOM = "machine_room", _("Machine room of a classified system")
    PRINT_ROOM = "print_room", _("Classified printing room")
    MEETING_ROOM = "meeting_room", _("Classified meeting room")
    OFFICE = "office", _("Office with classified cabinets")
    OTHER = "other", _("Other")


class CabinetStatus(models.TextChoices):
    IN_USE = "in_use", pgettext_lazy("registers", "In use")
    RETIRED = "retired", _("Retired")


class CheckStatus(models.TextChoices):
    """A periodic check of a key place (SUP-5): planned, then passed or with findings that go
    through rectification (整改)."""

    PLANNED = "planned", _("Planned")
    PASSED = "passed", _("Passed")
    FINDINGS = "findings", _("Findings under rectification")
    RECTIFIED = "rectified", _("Rectified")
