"""Choices of the visitors register (SUP-4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IdentityType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAU_PERMIT = "hk_macau_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    OTHER = "other", _("Other identity document")


class VisitStatus(models.TextChoices):
    """registered → on site → left; a registered visit may be cancelled (SUP-4)."""

    REGISTERED = "registered", pgettext_lazy("registers", "Registered")
    ON_SITE = "on_site", _("On site")
    LEFT = "left", _("Left")
    CANCELLED = "cancelled", _("Cancelled")
