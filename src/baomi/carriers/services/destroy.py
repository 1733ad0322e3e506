"""Destruction (CAR-11, R-CAR-11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import integrity, lifecycle
from baomi.carriers.choices import CarrierKind, CarrierStatus, DestructionMethod, RequestStatus
from baomi.carriers.models import Carrier, DestructionRequest
from baomi.carriers.services import content, places
from baomi.carriers.services._common import _cleared, _details, _lock, _move, _require_text
from baomi.carriers.services.requests import _decide
from baomi.core import levels
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.kit import requests
from baomi.kit.service import service

# --- destruction (CAR-11, R-CAR-11) ----------------------------------------------------------


@service
def request_destruction(actor: Any, carriers: Iterable[Carrier], *, reason: str) -> DestructionRequest:
    """Count and register carriers for destruction with a reason (CAR-11). *Requires*
    ``destroy`` on each (custodian or security office). *Audits* DESTRUCTION_REQUESTED per carrier."""
    reason = _require_text(reason, "reason", _("Give a reason."))
    locked = [_lock(c) for c in sorted({c.pk for c in carriers})]
    if not locked:
        raise ValidationFailed(_("Choose at least one carrier."))
    for carrier in locked:
        policy.require(actor, "destroy", carrier)
        lifecycle.require_state(carrier.status, "request_destruction")
        if carrier.destructions.filter(status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]).exists():
            raise ValidationFailed(
                _("Carrier %(number)s is already on a destruction list.")
                % {"number": carrier.registry_number}
            )
    req = DestructionRequest(
        reason=reason, requested_by=actor, level=levels.highest([c.level for c in locked])
    )
    req.save(force_insert=True)
    req.carriers.set(locked)
    for carrier in locked:
        record(actor, AuditEvent.DESTRUCTION_REQUESTED, carrier, details=_details(carrier, request_id=req.pk))
    return req


def _lock_destruction(req: DestructionRequest) -> DestructionRequest:
    return DestructionRequest.objects.select_for_update().get(pk=req.pk)


@service
def approve_destruction(actor: Any, req: DestructionRequest, *, note: str = "") -> DestructionRequest:
    """Approve a destruction list (CAR-11). *Requires* ``approve`` (unit head, not the
    requester) and no carrier of the list failing its integrity check (``IntegrityHold``,
    issue 11 §4). *Audits* DESTRUCTION_APPROVED."""
    req = _lock_destruction(req)
    policy.require(actor, "approve", req)
    integrity.hold_tampered(actor, "approve", list(req.carriers.all()))  # issue 11 §4, as on execution
    _decide(actor, req, RequestStatus.APPROVED, note)
    record(actor, AuditEvent.DESTRUCTION_APPROVED, req, details={"carriers": req.carriers.count()})
    return req


@service
def reject_destruction(actor: Any, req: DestructionRequest, *, note: str = "") -> DestructionRequest:
    """Reject a destruction list. *Requires* ``approve``. *Audits* DESTRUCTION_REJECTED."""
    req = _lock_destruction(req)
    policy.require(actor, "approve", req)
    _decide(actor, req, RequestStatus.REJECTED, note)
    record(actor, AuditEvent.DESTRUCTION_REJECTED, req, details={"carriers": req.carriers.count()})
    return req


@service
def execute_destruction(
    actor: Any, req: DestructionRequest, *, method: str, witness_1: Any, witness_2: Any,
    destroyed_on: dt.date | None = None, facility: str = "", contractor: Any = None,
) -> DestructionRequest:  # fmt: skip
    """Destroy the approved carriers before two witnesses by a method or at a facility
    (CAR-11, R-CAR-11). Each carrier stays in the registry as ``destroyed``; electronic content
    is crypto-shredded by the vault. *Requires* ``execute`` (security office) and no carrier of
    the list failing its integrity check (``IntegrityHold``, issue 11 §4). *Audits*
    CARRIER_DESTROYED per carrier (and the vault's BLOB_SHREDDED)."""
    req = _lock_destruction(req)
    policy.require(actor, "execute", req)
    if req.status != RequestStatus.APPROVED:
        raise ValidationFailed(_("Only an approved destruction list can be carried out."))
    if method not in DestructionMethod.values:
        raise ValidationFailed(_("Choose a method."), fields={"method": [_("Choose a method.")]})
    if method == DestructionMethod.FACILITY and contractor is None:
        facility = _require_text(facility, "facility", _("Name the destruction facility."))
    if witness_1 is None or witness_2 is None or witness_1.pk == witness_2.pk:
        msg = _("Two different people must be present.")
        raise ValidationFailed(msg, fields={"witness_2": [msg]})
    for field, witness in (("witness_1", witness_1), ("witness_2", witness_2)):
        # R-CAR-11, R-ROLE-5: who asked for the destruction or carries it out never witnesses it.
        requests.require_other(witness, [actor, req.requested_by_id], field=field,
                               message=_("Who asked for or carries out the destruction cannot witness it."))  # fmt: skip
    destroyed_on = destroyed_on or timezone.localdate()
    if destroyed_on > timezone.localdate():
        raise ValidationFailed(_("The date of destruction cannot be in the future."))
    if req.decided_at is not None and destroyed_on < timezone.localdate(req.decided_at):
        # R-CAR-11: count, register, approve — then destroy; never before the approval.
        msg = _("The date of destruction cannot be before the approval.")
        raise ValidationFailed(msg, fields={"destroyed_on": [msg]})
    carriers = [_lock(c.pk) for c in req.carriers.order_by("pk")]
    # CLS-7, R-CRYPTO-5 (issue 11 §4): not while a carrier of the list fails its integrity check —
    # said (naming none), audited and alarmed, until the security office has dealt with it.
    integrity.hold_tampered(actor, "execute_destruction", carriers)
    for carrier in carriers:
        policy.require(actor, "execute_destruction", carrier)
        if not lifecycle.permits(carrier.status, "destroy"):
            # On a list of many, say which carrier moved since the approval (CAR-11).
            raise InvalidTransition(
                _("Carrier %(number)s is “%(state)s” and cannot be destroyed now.")
                % {"number": carrier.registry_number, "state": CarrierStatus(carrier.status).label}
            )
    if method == DestructionMethod.CRYPTO_SHRED and any(c.kind != CarrierKind.ELECTRONIC for c in carriers):
        # R-CAR-11: unrecoverable — erasing the key does not destroy paper, a medium or a device.
        msg = _(
            "Crypto-shredding destroys electronic files only; paper, media and devices must be destroyed physically."
        )
        raise ValidationFailed(msg, fields={"method": [msg]})
    for field, witness in (("witness_1", witness_1), ("witness_2", witness_2)):
        if witness.pk == req.requested_by_id:
            # The witnesses vouch for what the requester asked to destroy: never the requester.
            msg = _("The person who asked for the destruction cannot be a witness.")
            raise ValidationFailed(msg, fields={field: [msg]})
        if not _cleared(witness, levels.highest([c.level for c in carriers] or [req.level])):
            # The witnesses see what is destroyed: active and cleared for it (R-CAR-11).
            msg = _("A witness's clearance does not reach the level of these carriers.")
            raise ValidationFailed(msg, fields={field: [msg]})
    if method == DestructionMethod.FACILITY:
        # R-SITE-3: destruction by an outside body names a contractor qualified for it.
        highest = levels.highest([c.level for c in carriers] or [req.level])
        contractor = places.outside_body("destruction", highest, contractor=contractor, company=facility)
        facility = contractor.name if contractor is not None else facility
    else:
        contractor = None
    req.method = method
    req.facility = facility.strip()
    req.contractor = contractor
    req.witness_1 = witness_1
    req.witness_2 = witness_2
    req.destroyed_on = destroyed_on
    req.executed_by = actor
    req.executed_at = timezone.now()
    req.status = RequestStatus.DONE
    req.save(update_fields=["method", "facility", "contractor", "witness_1", "witness_2", "destroyed_on",
                            "executed_by", "executed_at", "status"])  # fmt: skip
    for carrier in carriers:
        shredded = False
        if carrier.blob_id is not None:
            content.shred(actor, carrier)
            shredded = True
        carrier.holder = None
        _move(actor, carrier, "destroy", fields=["holder"], request_id=req.pk, method=method,
              witnesses=[witness_1.pk, witness_2.pk], shredded=shredded)  # fmt: skip
    return req
