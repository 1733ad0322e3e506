from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.kit import requests


class CarrierKind(models.TextChoices):
    """Kinds of carrier (CAR-1); each has its own registry-number series."""

    PAPER = "paper", _("Paper document")
    ELECTRONIC = "electronic", _("Electronic file")
    MEDIUM = "medium", _("Storage medium")
    DEVICE = "device", _("Device")
    SECRET_PRODUCT = "secret_product", _("Secret product")


# CAR-7: what a print is made from — an electronic file or the files on a storage medium. A
# paper document is reproduced by a copy request that the unit head approves (CAR-4).
PRINTABLE_KINDS = frozenset({CarrierKind.ELECTRONIC, CarrierKind.MEDIUM})


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
    RETURNED = "returned", _("Returned to issuer")
    DESTROYED = "destroyed", _("Destroyed")
    DISPATCHED = "dispatched", _("Dispatched to another unit")


#: Where an approval request stands (CAR-4, CAR-6, CAR-9, CAR-11): the shared vocabulary of
#: ``baomi.kit.requests`` (pending, approved, rejected, done, withdrawn).
RequestStatus = requests.RequestStatus


class CopyKind(models.TextChoices):
    """Reproduction requests of CAR-4 / R-CAR-5."""

    COPY = "copy", _("Copy")
    EXCERPT = "excerpt", _("Excerpt")
    COMPILE = "compile", _("Compilation")


class TransferChannel(models.TextChoices):
    """Lawful transfer channels (CAR-5, R-CAR-3). Ordinary post and courier are deliberately
    absent: the law forbids them, so they cannot even be chosen."""

    CONFIDENTIAL_COURIER = "jiyao_jiaotong", _("Confidential courier service (机要交通)")
    CONFIDENTIAL_MAIL = "jiyao_tongxin", _("Confidential mail service (机要通信)")
    DESIGNATED_PERSON = "designated_person", _("Designated person")


# Channels people ask for that the law forbids (R-CAR-3); refused with a clear message.
FORBIDDEN_CHANNELS = frozenset({"post", "ordinary_post", "courier", "express", "ems", "mail"})


class TransferStatus(models.TextChoices):
    SENT = "sent", _("Sent, awaiting receipt")
    RECEIVED = "received", _("Received and signed")


class InventoryResult(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    CONFIRMED = "confirmed", _("Present")
    MISSING = "missing", _("Missing")
    DAMAGED = "damaged", _("Damaged")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class DestructionMethod(models.TextChoices):
    """How carriers are made unrecoverable (R-CAR-11)."""

    FACILITY = "facility", _("Sent to the designated destruction facility")
    SHREDDING = "shredding", _("Shredded in-house with a compliant shredder")
    DEGAUSSING = "degaussing", _("Degaussed and physically destroyed")
    CRYPTO_SHRED = "crypto_shred", _("Electronic content crypto-shredded")


class ConsentAction(models.TextChoices):
    """What an originator may unlock for a 绝密 item (R-AC-3, R-CAR-12)."""

    DOWNLOAD = "download", _("Download")
    COPY = "copy", _("Copy, excerpt or compile")
    PRINT = "print", _("Print")
