"""Audit events of the media and devices register (devices block 1500–1600); codes never change."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DevicesEvent(models.IntegerChoices):
    DEVICE_REGISTERED = 1500, _("Device registered")
    DEVICE_UPDATED = 1501, _("Device updated")
    DEVICE_COMMISSIONED = 1502, _("Device put into use")
    DEVICE_MAINTENANCE_STARTED = 1503, _("Device maintenance started")
    DEVICE_MAINTENANCE_FINISHED = 1504, _("Device maintenance finished")
    DEVICE_SCRAPPED = 1505, _("Device scrapped")
    DEVICE_LOST = 1506, _("Device reported lost")
    DEVICE_FOUND = 1507, _("Lost device found")
    DEVICE_CHECKED = 1510, _("Device checked")
    WHITELIST_EXPORTED = 1520, _("USB whitelist exported")
    DEVICES_REMINDED = 1540, _("Device reminder raised")
    DEVICES_EXPORTED = 1550, _("Device register exported")
