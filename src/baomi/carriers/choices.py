from django.db import models
from django.utils.translation import gettext_lazy as _


class CarrierKind(models.TextChoices):
    """Kinds of carrier (CAR-1); each has its own registry-number series."""

    PAPER = "paper", _("Paper document")
    ELECTRONIC = "electronic", _("Electronic file")
    MEDIUM = "medium", _("Storage medium")
    DEVICE = "device", _("Device")
    SECRET_PRODUCT = "secret_product", _("Secret product")


class CarrierStatus(models.TextChoices):
    """Where a carrier is in its lifecycle (CAR-1..11)."""

    REGISTERED = "registered", _("In custody")
    ON_LOAN = "on_loan", _("On loan")
    IN_TRANSIT = "in_transit", _("In transit")
    TAKEN_OUT = "taken_out", _("Taken out")
    UNDER_REPAIR = "under_repair", _("Under repair")
    SEALED = "sealed", _("Sealed")
    ARCHIVED = "archived", _("Archived")
    MISSING = "missing", _("Missing")
    DESTROYED = "destroyed", _("Destroyed")
