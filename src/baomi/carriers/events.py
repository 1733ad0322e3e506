"""Audit events of the carriers' exchange with other units (发文 and 收文; CAR-4, CAR-5,
R-CAR-3; issue 12 §3), block 2400–2499. The carriers' own lifecycle events keep their codes in
``baomi.audit.events.AuditEvent`` (3xx)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeEvent(models.IntegerChoices):
    EXTERNAL_UNIT_CREATED = 2400, _("External unit added")
    EXTERNAL_UNIT_UPDATED = 2401, _("External unit changed")
    DISPATCH_REQUESTED = 2410, _("Dispatch to another unit requested")
    DISPATCH_APPROVED = 2411, _("Dispatch to another unit approved")
    DISPATCH_REJECTED = 2412, _("Dispatch to another unit rejected")
    DISPATCH_WITHDRAWN = 2413, _("Dispatch to another unit withdrawn")
    CARRIER_DISPATCHED = 2414, _("Carrier dispatched to another unit")
    RECEIPT_RECORDED = 2415, _("Returned receipt recorded")
    INCOMING_REGISTERED = 2420, _("Carrier received from another unit registered")
