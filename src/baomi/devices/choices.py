"""Choices of the removable media and devices register (SUP-6, R-CAR-14)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeviceKind(models.TextChoices):
    USB_DRIVE = "usb_drive", _("Classified USB drive")
    PORTABLE_DISK = "portable_disk", _("Classified portable hard disk")
    COMPUTER = "computer", _("Classified computer")
    PRINTER = "printer", _("Printer or copier")
    CRYPTO = "crypto_device", _("Cryptographic device")
    SHIELDING = "shielding", _("Shielding facility")
    OTHER = "other", _("Other device")


# Removable media: identified by their USB vendor:product:serial and exported to the USBGuard
# whitelist of the endpoints (SUP-6: only registered media exist).
REMOVABLE_KINDS = frozenset({DeviceKind.USB_DRIVE, DeviceKind.PORTABLE_DISK})


class DeviceStatus(models.TextChoices):
    """procurement → in use → maintenance (on site, qualified contractor) → scrapped (SUP-6)."""

    PROCURED = "procured", _("Procured, not yet in use")
    IN_USE = "in_use", pgettext_lazy("registers", "In use")
    MAINTENANCE = "maintenance", _("Under maintenance")
    SCRAPPED = "scrapped", _("Scrapped")
    LOST = "lost", _("Lost")


class CheckResult(models.TextChoices):
    OK = "ok", _("As registered")
    PROBLEM = "problem", _("Problem found")
