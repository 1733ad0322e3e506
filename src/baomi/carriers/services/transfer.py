"""Transfers between custodians (CAR-5, R-CAR-2/3/12)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.carriers import lifecycle
from baomi.carriers.choices import FORBIDDEN_CHANNELS, TransferChannel, TransferStatus
from baomi.carriers.models import Carrier, Transfer
from baomi.carriers.services._common import _cleared, _lock, _move, _require_text
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit.service import service

# --- transfer (CAR-5, R-CAR-2/3/12) ----------------------------------------------------------


@service
def send_carrier(
    actor: Any, carrier: Carrier, *, receiver: Any, channel: str, envelope_number: str, escort: Any = None
) -> Transfer:
    """Send a carrier by a lawful channel with an envelope number (CAR-5).

    Ordinary post and express courier are refused outright (R-CAR-3); 绝密 needs a second
    person (R-CAR-12). *Requires* ``transfer`` (custodian or security office). *Audits*
    CARRIER_SENT."""
    carrier = _lock(carrier)
    policy.require(actor, "transfer", carrier)
    lifecycle.next_state(carrier.status, "transfer")
    if channel in FORBIDDEN_CHANNELS or channel not in TransferChannel.values:
        msg = _(
            "Classified carriers may not go by ordinary post or express courier (保密法 Art. 28); "
            "use the confidential courier service (机要交通), confidential mail (机要通信) or a designated person."
        )
        raise ValidationFailed(msg, fields={"channel": [msg]})
    envelope_number = _require_text(envelope_number, "envelope_number", _("Give the envelope number."))
    if receiver is None or receiver.pk == carrier.custodian_id:
        msg = _("Choose a receiver other than the custodian.")
        raise ValidationFailed(msg, fields={"receiver": [msg]})
    if receiver.pk == actor.pk:
        # R-ROLE-5: nobody hands a carrier over to themselves and signs their own receipt.
        msg = _("You cannot send a carrier to yourself; name another receiver.")
        raise ValidationFailed(msg, fields={"receiver": [msg]})
    if not _cleared(receiver, carrier.level):
        msg = _("The receiver's clearance does not reach the level of this carrier.")
        raise ValidationFailed(msg, fields={"receiver": [msg]})
    if carrier.level == levels.Level.TOP_SECRET:
        if escort is None or escort.pk in {actor.pk, receiver.pk}:
            msg = _("A top secret carrier travels with a second person (R-CAR-12); name them.")
            raise ValidationFailed(msg, fields={"escort": [msg]})
        if not _cleared(escort, carrier.level):
            msg = _("The second person's clearance does not reach the level of this carrier.")
            raise ValidationFailed(msg, fields={"escort": [msg]})
    transfer = Transfer(carrier=carrier, sender=actor, receiver=receiver, channel=channel,
                        envelope_number=envelope_number, escort=escort)  # fmt: skip
    transfer.save(force_insert=True)
    _move(actor, carrier, "transfer", transfer_id=transfer.pk, receiver_id=receiver.pk, channel=channel,
          envelope_number=envelope_number, escort_id=escort.pk if escort else None)  # fmt: skip
    return transfer


@service
def receive_carrier(actor: Any, transfer: Transfer, *, counted: int, note: str = "") -> Transfer:
    """The receiver counts and signs for a transfer (签收, CAR-5, R-CAR-2); the carrier enters
    the receiver's custody. *Requires* ``receive`` on the transfer (the named receiver).
    *Audits* CARRIER_RECEIVED."""
    transfer = Transfer.objects.select_for_update().select_related("carrier").get(pk=transfer.pk)
    policy.require(actor, "receive", transfer)
    carrier = _lock(transfer.carrier)
    lifecycle.next_state(carrier.status, "receive")
    expected = carrier.pages or 1
    if counted is None or counted != expected:
        # R-CAR-2: the receiver counts blind — the refusal never tells the registered count.
        msg = _("The count does not match the register. Count again; if it still differs, do not sign "
                "and report it to the security office.")  # fmt: skip
        raise ValidationFailed(msg, fields={"counted": [msg]})
    before = carrier.custodian_id
    carrier.custodian = actor
    carrier.department = actor.department or carrier.department
    _move(actor, carrier, "receive", fields=["custodian", "department"], transfer_id=transfer.pk,
          previous_custodian_id=before, counted=counted)  # fmt: skip
    transfer.status = TransferStatus.RECEIVED
    transfer.received_at = timezone.now()
    transfer.counted = counted
    transfer.receipt_note = (note or "")[:300]
    transfer.save(update_fields=["status", "received_at", "counted", "receipt_note"])
    return transfer
