"""Exchange with other units (CAR-4, CAR-5, R-CAR-3; issue 12 §3): the list of external units,
dispatches (发文) with their approval, sending and returned receipt (回执), and carriers received
from other units (收文)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import FORBIDDEN_CHANNELS, RequestStatus, TransferChannel
from baomi.carriers.events import ExchangeEvent
from baomi.carriers.models import Carrier, Dispatch, ExternalUnit, IncomingCarrier
from baomi.carriers.services._common import _cleared, _details, _lock, _move, _require_text
from baomi.carriers.services.register import register_carrier
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit import requests
from baomi.kit.service import internal, service

UNIT_FIELDS = ("name", "code", "address", "contact")
UNIT_LIMITS = {"name": 200, "code": 40, "address": 300, "contact": 100}


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _check_channel(channel: str) -> None:
    """R-CAR-3: ordinary post and express courier are refused outright, by name."""
    if channel in FORBIDDEN_CHANNELS or channel not in TransferChannel.values:
        raise _invalid(
            "channel",
            _("Classified carriers may not go by ordinary post or express courier (保密法 Art. 28); "
              "use the confidential courier service (机要交通), confidential mail (机要通信) or a designated person."),
        )  # fmt: skip


def _check_unit(unit: ExternalUnit | None) -> ExternalUnit:
    # Read again: the unit may have been taken out of use since the form was filled in.
    unit = ExternalUnit.objects.filter(pk=unit.pk).first() if unit is not None else None
    if unit is None or not unit.active:
        raise _invalid("unit", _("Choose an external unit from the list kept by the security office."))
    return unit


# --- the list of external units --------------------------------------------------------------


def _unit_values(fields: dict[str, Any]) -> dict[str, str]:
    values = {k: str(fields.get(k) or "").strip() for k in UNIT_FIELDS if k in fields}
    for key, value in values.items():
        if len(value) > UNIT_LIMITS[key]:
            raise _invalid(key, _("At most %(n)s characters.") % {"n": UNIT_LIMITS[key]})
    return values


@service
def create_external_unit(
    actor: Any, *, name: str, code: str = "", address: str = "", contact: str = ""
) -> ExternalUnit:
    """Add a unit to the list of external units (issue 12 §3). *Requires*
    ``carriers.external_units`` (the security officer). *Audits* EXTERNAL_UNIT_CREATED."""
    policy.require(actor, "carriers.external_units")
    values = _unit_values({"name": name, "code": code, "address": address, "contact": contact})
    if not values["name"]:
        raise _invalid("name", _("Enter the unit's name."))
    if ExternalUnit.objects.filter(name=values["name"]).exists():
        raise _invalid("name", _("This unit is already on the list."))
    unit = ExternalUnit.objects.create(created_by=actor, **values)
    record(actor, ExchangeEvent.EXTERNAL_UNIT_CREATED, unit, details=values)
    return unit


@service
def update_external_unit(actor: Any, unit: ExternalUnit, **fields: Any) -> ExternalUnit:
    """Change a unit's details, or take it out of use (``active=False``) — a unit is never
    deleted, its dispatches and receipts keep naming it. *Requires* ``manage``. *Audits*
    EXTERNAL_UNIT_UPDATED with the values before and after."""
    unit = ExternalUnit.objects.select_for_update().get(pk=unit.pk)
    policy.require(actor, "manage", unit)
    values: dict[str, Any] = _unit_values(fields)
    if "active" in fields:
        values["active"] = bool(fields["active"])
    if "name" in values:
        if not values["name"]:
            raise _invalid("name", _("Enter the unit's name."))
        if ExternalUnit.objects.filter(name=values["name"]).exclude(pk=unit.pk).exists():
            raise _invalid("name", _("This unit is already on the list."))
    changed = {k: v for k, v in values.items() if getattr(unit, k) != v}
    before = {k: getattr(unit, k) for k in changed}
    for key, value in changed.items():
        setattr(unit, key, value)
    if changed:
        unit.save(update_fields=list(changed))
    record(actor, ExchangeEvent.EXTERNAL_UNIT_UPDATED, unit, details={"before": before, "after": changed})
    return unit


# --- 发文: dispatch to an external unit ------------------------------------------------------


@internal
def needs_approval(level: str) -> bool:
    """机密 and 绝密 go out only with the department head's approval (CAR-4); 秘密 at once."""
    return levels.rank(level) >= levels.rank(levels.Level.SECRET)


@service
def request_dispatch(
    actor: Any, carrier: Carrier, *, unit: ExternalUnit | None, channel: str, envelope_number: str,
    reason: str, addressee: str = "", escort: Any = None,
) -> Dispatch:  # fmt: skip
    """Ask to dispatch a carrier to an external unit (发文; CAR-4, CAR-5, R-CAR-3).

    The channel is 机要交通, 机要通信 or a designated person — ordinary post and courier are
    refused; the envelope number is required; 绝密 names a second person (R-CAR-12). 机密 and
    绝密 wait for the head of the carrier's department; 秘密 is sent at once.
    *Requires* ``transfer`` on the carrier (its custodian or the security office).
    *Audits* DISPATCH_REQUESTED (and CARRIER_DISPATCHED when sent at once)."""
    carrier = _lock(carrier)
    policy.require(actor, "transfer", carrier)
    lifecycle.next_state(carrier.status, "dispatch")
    unit = _check_unit(unit)
    _check_channel(channel)
    envelope_number = _require_text(envelope_number, "envelope_number", _("Give the envelope number."))
    reason = _require_text(reason, "reason", _("Give a reason."))
    if len(envelope_number) > 50:
        raise _invalid("envelope_number", _("At most %(n)s characters.") % {"n": 50})
    if carrier.level == levels.Level.TOP_SECRET:
        if escort is None or escort.pk == actor.pk:
            raise _invalid(
                "escort", _("A top secret carrier travels with a second person (R-CAR-12); name them.")
            )
        if not _cleared(escort, carrier.level):
            raise _invalid(
                "escort", _("The second person's clearance does not reach the level of this carrier.")
            )
    if Dispatch.objects.filter(
        carrier=carrier, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]
    ).exists():
        raise ValidationFailed(_("This carrier already has an open dispatch."))
    dispatch = Dispatch(carrier=carrier, unit=unit, channel=channel, envelope_number=envelope_number,
                        addressee=(addressee or "").strip()[:100], escort=escort, requested_by=actor,
                        reason=reason[:300])  # fmt: skip
    if not needs_approval(carrier.level):
        dispatch.status = RequestStatus.APPROVED  # 秘密: no approval needed (CAR-4 covers 机密+)
    dispatch.save(force_insert=True)
    record(actor, ExchangeEvent.DISPATCH_REQUESTED, dispatch,
           details=_details(carrier, dispatch_id=dispatch.pk, unit_id=unit.pk, channel=channel,
                            needs_approval=needs_approval(carrier.level)))  # fmt: skip
    if dispatch.status == RequestStatus.APPROVED:
        dispatch = _send(actor, dispatch)
    return dispatch


@service
def approve_dispatch(actor: Any, dispatch: Dispatch, *, reason: str = "") -> Dispatch:
    """The department head approves a 机密/绝密 dispatch (CAR-4); never their own. The
    requester then sends it. *Audits* DISPATCH_APPROVED."""
    return requests.decide(  # type: ignore[return-value]  # the Dispatch it was given
        actor, dispatch, requests.APPROVE, reason=reason, event=ExchangeEvent.DISPATCH_APPROVED
    )


@service
def reject_dispatch(actor: Any, dispatch: Dispatch, *, reason: str = "") -> Dispatch:
    """The department head refuses a dispatch; the carrier stays. *Audits* DISPATCH_REJECTED."""
    return requests.decide(  # type: ignore[return-value]  # the Dispatch it was given
        actor, dispatch, requests.REJECT, reason=reason, event=ExchangeEvent.DISPATCH_REJECTED
    )


@service
def withdraw_dispatch(actor: Any, dispatch: Dispatch) -> Dispatch:
    """The requester withdraws a dispatch that waits. *Audits* DISPATCH_WITHDRAWN."""
    return requests.withdraw(actor, dispatch, event=ExchangeEvent.DISPATCH_WITHDRAWN)  # type: ignore[return-value]


@service
def send_dispatch(actor: Any, dispatch: Dispatch) -> Dispatch:
    """Send an approved dispatch: the carrier leaves the unit (``dispatched``) and the returned
    receipt is due in ``DISPATCH_RECEIPT_DAYS``. *Requires* ``complete`` on the dispatch (the
    requester or the security office) and ``transfer`` on the carrier. *Audits*
    CARRIER_DISPATCHED on the carrier."""
    return _send(actor, dispatch)


def _send(actor: Any, dispatch: Dispatch) -> Dispatch:
    # One audit entry: the carrier's CARRIER_DISPATCHED, naming the dispatch (its history).
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    policy.require(actor, "complete", dispatch)
    dispatch.status = requests.next_status(dispatch.status, requests.COMPLETE)
    carrier = _lock(dispatch.carrier_id)
    _move(actor, carrier, "dispatch", dispatch_id=dispatch.pk, unit_id=dispatch.unit_id, channel=dispatch.channel,
          envelope_number=dispatch.envelope_number, escort_id=dispatch.escort_id)  # fmt: skip
    dispatch.sent_by = actor
    dispatch.sent_at = timezone.now()
    dispatch.receipt_due = timezone.localdate() + timedelta(days=settings.DISPATCH_RECEIPT_DAYS)
    dispatch.save(update_fields=["status", "sent_by", "sent_at", "receipt_due"])
    return dispatch


@service
def record_receipt(actor: Any, dispatch: Dispatch, *, returned_on: dt.date | None, signer: str,
                   note: str = "") -> Dispatch:  # fmt: skip
    """Record the receiving unit's returned receipt (回执): the date it came back and who signed
    it there (CAR-5). *Requires* ``record_receipt`` (the sender or the security office), once.
    *Audits* RECEIPT_RECORDED."""
    dispatch = Dispatch.objects.select_for_update().select_related("carrier").get(pk=dispatch.pk)
    policy.require(actor, "record_receipt", dispatch)
    signer = _require_text(signer, "signer", _("Name who signed the receipt at the receiving unit."))
    if len(signer) > 100:
        raise _invalid("signer", _("At most %(n)s characters.") % {"n": 100})
    if returned_on is None:
        raise _invalid("returned_on", _("Enter the date the receipt came back."))
    sent_on = timezone.localdate(dispatch.sent_at) if dispatch.sent_at else None
    if returned_on > timezone.localdate() or (sent_on and returned_on < sent_on):
        raise _invalid("returned_on", _("The receipt date lies between the dispatch and today."))
    dispatch.receipt_on = returned_on
    dispatch.receipt_signer = signer
    dispatch.receipt_note = (note or "").strip()[:300]
    dispatch.receipt_recorded_by = actor
    dispatch.save(update_fields=["receipt_on", "receipt_signer", "receipt_note", "receipt_recorded_by"])
    record(actor, ExchangeEvent.RECEIPT_RECORDED, dispatch,
           details=_details(dispatch.carrier, dispatch_id=dispatch.pk, returned_on=returned_on,
                            late=bool(dispatch.receipt_due and returned_on > dispatch.receipt_due)))  # fmt: skip
    return dispatch


# --- 收文: carriers received from other units ------------------------------------------------


@service
def register_incoming(
    actor: Any, *, unit: ExternalUnit | None, their_number: str, their_copy_number: str, item: Any, kind: str,
    custodian: Any, channel: str, received_on: dt.date | None, envelope_number: str = "", title: str = "",
    pages: int | None = None, storage_place: str = "", department: Any = None,
) -> IncomingCarrier:  # fmt: skip
    """Register a carrier received from another unit (收文; CAR-1, CAR-5): this unit's registry
    number is given, the originator's document number and 份号 are kept, it is marked received,
    and from then on it follows the ordinary lifecycle. *Requires* ``carriers.register`` (the
    security office). *Audits* CARRIER_REGISTERED and INCOMING_REGISTERED."""
    policy.require(actor, "carriers.register")
    unit = _check_unit(unit)
    _check_channel(channel)
    their_number = _require_text(their_number, "their_number", _("Enter the originator's document number."))
    their_copy_number = _require_text(their_copy_number, "their_copy_number",
                                      _("Enter the copy number (份号) printed on the carrier."))  # fmt: skip
    if len(their_number) > 100:
        raise _invalid("their_number", _("At most %(n)s characters.") % {"n": 100})
    if len(their_copy_number) > 20:
        raise _invalid("their_copy_number", _("At most %(n)s characters.") % {"n": 20})
    if received_on is None or received_on > timezone.localdate():
        raise _invalid("received_on", _("Enter the date it was received (not in the future)."))
    if IncomingCarrier.objects.filter(unit=unit, their_number=their_number,
                                      their_copy_number=their_copy_number).exists():  # fmt: skip
        raise _invalid("their_copy_number", _("This copy from this unit is already registered."))
    [carrier] = register_carrier(
        actor, item=item, kind=kind, custodian=custodian, title=title, copies=1, pages=pages,
        storage_place=storage_place, originator=unit.name, department=department,
    )  # fmt: skip
    incoming = IncomingCarrier.objects.create(
        carrier=carrier, unit=unit, their_number=their_number, their_copy_number=their_copy_number,
        channel=channel, envelope_number=(envelope_number or "").strip()[:50], received_on=received_on,
        received_by=actor,
    )  # fmt: skip
    record(actor, ExchangeEvent.INCOMING_REGISTERED, incoming,
           details=_details(carrier, incoming_id=incoming.pk, unit_id=unit.pk, their_number=their_number,
                            their_copy_number=their_copy_number, channel=channel))  # fmt: skip
    return incoming
