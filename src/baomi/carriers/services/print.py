"""Printing (CAR-7)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import PRINTABLE_KINDS, CarrierKind
from baomi.carriers.models import Carrier, PrintRecord
from baomi.carriers.services._common import _details, _lock, _new_carriers, _require_text
from baomi.core.errors import ValidationFailed
from baomi.kit.service import service

# --- printing (CAR-7) ------------------------------------------------------------------------


@service
def register_print(actor: Any, carrier: Carrier, *, copies: int, device: str) -> PrintRecord:
    """Register a print: who printed how many copies on which printer; each printed copy
    becomes a paper carrier in the printer's custody (CAR-7). *Requires* ``print`` (绝密 only
    with consent, R-AC-3). *Audits* CARRIER_PRINTED and CARRIER_REGISTERED per print."""
    carrier = _lock(carrier)
    policy.require(actor, "print", carrier)
    lifecycle.require_state(carrier.status, "print")
    if carrier.kind not in PRINTABLE_KINDS:
        # CAR-4: "printing" a paper document or a device would be an unapproved copy.
        raise ValidationFailed(
            _(
                "Only electronic files and storage media are printed; to reproduce this carrier, request a copy."
            )
        )
    if not isinstance(copies, int) or not 1 <= copies <= 50:
        msg: Any = _("The number of copies must be between 1 and %(max)s.") % {"max": 50}
        raise ValidationFailed(msg, fields={"copies": [msg]})
    device = _require_text(device, "device", _("Name the printer."))
    prints = _new_carriers(
        actor, item=carrier.item, kind=CarrierKind.PAPER, title=carrier.title, custodian=actor, count=copies,
        parent=carrier, pages=carrier.pages, made_on=timezone.localdate(), produced_on_device=device,
        originator=carrier.originator,
    )  # fmt: skip
    rec = PrintRecord(source=carrier, printed_by=actor, copies=copies, device=device)
    rec.save(force_insert=True)
    rec.prints.set(prints)
    record(actor, AuditEvent.CARRIER_PRINTED, carrier,
           details=_details(carrier, print_id=rec.pk, copies=[p.registry_number for p in prints]))  # fmt: skip
    return rec
