"""Repair and taking out (CAR-9), sealing and archiving (CAR-10), missing and found."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import Carrier, DeclassificationReview, RepairRecord, StorageRecord, TakeOutRequest
from baomi.carriers.services import places
from baomi.carriers.services._common import _cleared, _details, _lock, _lock_row, _move, _require_text
from baomi.carriers.services.requests import _decide, _lock_request
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit import incidents
from baomi.kit.service import service

# --- repair and taking out (CAR-9) -----------------------------------------------------------


@service
def start_repair(
    actor: Any, carrier: Carrier, *, technician: str, place: str, fault: str, outside: bool = False,
    company: str = "", supervisor: Any = None, contractor: Any = None,
) -> RepairRecord:  # fmt: skip
    """Send a carrier to repair (CAR-9, R-CAR-8): outside technicians only under a named,
    cleared on-site supervisor of the unit. *Requires* ``repair``. *Audits* REPAIR_STARTED."""
    carrier = _lock(carrier)
    policy.require(actor, "repair", carrier)
    lifecycle.next_state(carrier.status, "repair")
    technician = _require_text(technician, "technician", _("Name the technician."))
    place = _require_text(place, "place", _("Name the place of repair."))
    fault = _require_text(fault, "fault", _("Describe the fault."))
    if outside:
        if supervisor is None:
            msg = _("An outside technician works only under an on-site supervisor of the unit; name them.")
            raise ValidationFailed(msg, fields={"supervisor": [msg]})
        if not _cleared(supervisor, carrier.level):
            msg = _("The supervisor's clearance does not reach the level of this carrier.")
            raise ValidationFailed(msg, fields={"supervisor": [msg]})
        # R-SITE-3: an outside body names a contractor qualified for repair at this level.
        contractor = places.outside_body("repair", carrier.level, contractor=contractor, company=company)
        company = contractor.name if contractor is not None else company
    else:
        contractor = None
    rec = RepairRecord(carrier=carrier, technician=technician, outside=outside, company=company.strip(),
                       contractor=contractor, supervisor=supervisor, place=place, fault=fault,
                       recorded_by=actor)  # fmt: skip
    rec.save(force_insert=True)
    _move(actor, carrier, "repair", repair_id=rec.pk, outside=outside,
          supervisor_id=supervisor.pk if supervisor else None, contractor_id=getattr(contractor, "pk", None))  # fmt: skip
    return rec


@service
def finish_repair(actor: Any, carrier: Carrier, *, result: str) -> RepairRecord:
    """Take a carrier back from repair (CAR-9). *Requires* ``finish_repair``. *Audits* REPAIR_FINISHED."""
    carrier = _lock(carrier)
    policy.require(actor, "finish_repair", carrier)
    lifecycle.next_state(carrier.status, "finish_repair")
    result = _require_text(result, "result", _("Describe the result."))
    rec = (
        RepairRecord.objects.select_for_update()
        .filter(carrier=carrier, finished_at__isnull=True)
        .latest("id")
    )
    rec.finished_at = timezone.now()
    rec.result = result[:300]
    rec.save(update_fields=["finished_at", "result"])
    _move(actor, carrier, "finish_repair", repair_id=rec.pk)
    return rec


def _refuse_top_secret_abroad(carrier: Carrier, abroad: bool) -> None:
    """R-CAR-12 (5): a 绝密 carrier is not carried abroad; no approval can allow it (CAR-9)."""
    if abroad and carrier.level == levels.Level.TOP_SECRET:
        msg = _("A top secret carrier may not be taken abroad.")
        raise ValidationFailed(msg, fields={"abroad": [msg]})


@service
def request_take_out(
    actor: Any, carrier: Carrier, *, destination: str, abroad: bool, protective_measures: str,
    leaves_on: dt.date, returns_on: dt.date, reason: str,
) -> TakeOutRequest:  # fmt: skip
    """Ask to take a carrier out, or abroad (CAR-9, R-CAR-9). *Requires* ``take_out``.
    *Audits* TAKE_OUT_REQUESTED."""
    carrier = _lock(carrier)
    policy.require(actor, "take_out", carrier)
    lifecycle.require_state(carrier.status, "request_take_out")
    destination = _require_text(destination, "destination", _("Name the destination."))
    measures = _require_text(
        protective_measures, "protective_measures", _("Describe the protective measures.")
    )
    reason = _require_text(reason, "reason", _("Give a reason."))
    _refuse_top_secret_abroad(carrier, abroad)
    if returns_on < leaves_on or leaves_on < timezone.localdate():
        msg = _("The dates are not valid: leave today or later, come back after leaving.")
        raise ValidationFailed(msg, fields={"returns_on": [msg]})
    req = TakeOutRequest(carrier=carrier, requested_by=actor, destination=destination, abroad=abroad,
                         protective_measures=measures, leaves_on=leaves_on, returns_on=returns_on,
                         reason=reason)  # fmt: skip
    req.save(force_insert=True)
    record(actor, AuditEvent.TAKE_OUT_REQUESTED, carrier,
           details=_details(carrier, request_id=req.pk, abroad=abroad))  # fmt: skip
    return req


@service
def approve_take_out(actor: Any, req: TakeOutRequest, *, note: str = "") -> TakeOutRequest:
    """Approve a take-out; the requester now holds the carrier outside (CAR-9). *Requires*
    ``approve`` (unit head). *Audits* TAKE_OUT_APPROVED."""
    req = _lock_request(TakeOutRequest, req)
    carrier = _lock(req.carrier)
    policy.require(actor, "approve", req)
    lifecycle.next_state(carrier.status, "take_out")
    _refuse_top_secret_abroad(carrier, req.abroad)
    _decide(actor, req, RequestStatus.APPROVED, note)
    req.taken_at = timezone.now()
    req.save(update_fields=["taken_at"])
    carrier.holder = req.requested_by
    _move(actor, carrier, "take_out", fields=["holder"], request=req, request_id=req.pk, abroad=req.abroad)
    return req


@service
def bring_back(actor: Any, carrier: Carrier) -> TakeOutRequest:
    """Register that a taken-out carrier is back (CAR-9). *Requires* ``bring_back``.
    *Audits* CARRIER_BROUGHT_BACK."""
    carrier = _lock(carrier)
    policy.require(actor, "bring_back", carrier)
    lifecycle.next_state(carrier.status, "bring_back")
    req = TakeOutRequest.objects.select_for_update().get(carrier=carrier, status=RequestStatus.APPROVED)
    req.status = RequestStatus.DONE
    req.back_at = timezone.now()
    req.save(update_fields=["status", "back_at"])
    carrier.holder = None
    _move(actor, carrier, "bring_back", fields=["holder"], request_id=req.pk)
    return req


# --- sealing and archiving (CAR-10) ----------------------------------------------------------


def _storage(
    actor: Any, carrier: Carrier, action: str, place: str, on: dt.date | None, note: str
) -> StorageRecord:
    place = _require_text(place, "place", _("Name the place."))
    cabinet, place = places.storage_for(carrier.level, carrier.kind, place=place, field="place")
    if on is not None and on > timezone.localdate():
        msg = _("The date cannot be in the future.")  # a record of what was done (CAR-10)
        raise ValidationFailed(msg, fields={"on": [msg]})
    rec = StorageRecord(carrier=carrier, action=action, place=place, on=on or timezone.localdate(),
                        note=(note or "")[:300], recorded_by=actor)  # fmt: skip
    rec.save(force_insert=True)
    carrier.storage_place, carrier.cabinet = place, cabinet
    return rec


@service
def seal_carrier(
    actor: Any, carrier: Carrier, *, place: str, on: dt.date | None = None, note: str = ""
) -> Carrier:
    """Seal a carrier (封存) at a place and date (CAR-10). *Requires* ``seal``. *Audits* CARRIER_SEALED."""
    carrier = _lock(carrier)
    policy.require(actor, "seal", carrier)
    lifecycle.next_state(carrier.status, "seal")
    rec = _storage(actor, carrier, StorageRecord.Action.SEAL, place, on, note)
    return _move(
        actor,
        carrier,
        "seal",
        fields=["storage_place", "cabinet"],
        record_id=rec.pk,
        place=rec.place,
        on=rec.on,
    )


@service
def unseal_carrier(actor: Any, carrier: Carrier, *, place: str, note: str = "") -> Carrier:
    """Unseal a carrier back into custody (CAR-10). *Requires* ``unseal``. *Audits* CARRIER_UNSEALED."""
    carrier = _lock(carrier)
    policy.require(actor, "unseal", carrier)
    lifecycle.next_state(carrier.status, "unseal")
    rec = _storage(actor, carrier, StorageRecord.Action.UNSEAL, place, None, note)
    return _move(
        actor, carrier, "unseal", fields=["storage_place", "cabinet"], record_id=rec.pk, place=rec.place
    )


@service
def archive_carrier(
    actor: Any, carrier: Carrier, *, place: str, on: dt.date | None = None, note: str = ""
) -> DeclassificationReview:
    """Archive a carrier (归档, CAR-10) and raise a declassification review of its item for the
    classification authority (R-DECL-4/5). *Requires* ``archive``. *Audits* CARRIER_ARCHIVED
    and REVIEW_RAISED."""
    carrier = _lock(carrier)
    policy.require(actor, "archive", carrier)
    lifecycle.next_state(carrier.status, "archive")
    rec = _storage(actor, carrier, StorageRecord.Action.ARCHIVE, place, on, note)
    _move(
        actor,
        carrier,
        "archive",
        fields=["storage_place", "cabinet"],
        record_id=rec.pk,
        place=rec.place,
        on=rec.on,
    )
    review = DeclassificationReview(item=carrier.item, carrier=carrier, authority=carrier.item.determined_by,
                                    raised_by=actor)  # fmt: skip
    review.save(force_insert=True)
    record(actor, AuditEvent.REVIEW_RAISED, carrier.item,
           details={"review_id": review.pk, "carrier_id": carrier.pk, "authority_id": review.authority_id})  # fmt: skip
    return review


@service
def close_review_notice(
    actor: Any, review: DeclassificationReview, *, note: str = ""
) -> DeclassificationReview:
    """The classification authority marks an archiving review notice handled, after deciding
    on the item with the classification services (CAR-10, R-DECL-4). *Requires* ``handle``
    (the item's authority or the unit head). *Audits* REVIEW_HANDLED."""
    review = _lock_row(DeclassificationReview, review)
    policy.require(actor, "handle", review)
    if review.handled_at is not None:
        raise ValidationFailed(_("This review notice is already handled."))
    review.handled_at = timezone.now()
    review.save(update_fields=["handled_at"])
    record(actor, AuditEvent.REVIEW_HANDLED, review.item,
           details={"review_id": review.pk, "carrier_id": review.carrier_id, "note": note[:200]})  # fmt: skip
    return review


# --- missing and found -----------------------------------------------------------------------


def _open_incident(
    actor: Any, carrier: Carrier, result: str, source: str, source_ref: str, *, lost: bool
) -> Any:
    """Open the incident a missing carrier or an inventory discrepancy calls for (CAR-8), in the
    caller's transaction, through the incidents seam (``baomi.kit.incidents``), and link the
    carrier to it."""
    title = str(_("Carrier %(number)s %(result)s")) % {"number": carrier.registry_number, "result": result}
    return incidents.open_incident(
        actor, sender=Carrier, title=title, source=source, source_ref=source_ref, level=carrier.level,
        kind="lost_carrier" if lost else "other",
        description=str(_("Found during carrier management; see the carrier's history.")), carrier=carrier, lost=lost,
    )  # fmt: skip


@service
def mark_missing(actor: Any, carrier: Carrier, *, note: str = "", open_incident: bool = True) -> Carrier:
    """Report a carrier missing; an incident is opened (CAR-8, SUP-2). *Requires*
    ``mark_missing``. *Audits* CARRIER_MISSING (and INCIDENT_OPENED)."""
    carrier = _lock(carrier)
    policy.require(actor, "mark_missing", carrier)
    lifecycle.next_state(carrier.status, "mark_missing")
    incident_id = None
    if open_incident:
        incident_id = _open_incident(
            actor, carrier, str(_("missing")), "carrier", carrier.registry_number, lost=True
        ).pk
    return _move(actor, carrier, "mark_missing", incident_id=incident_id, note=note[:200])


@service
def found_carrier(actor: Any, carrier: Carrier, *, note: str = "") -> Carrier:
    """A missing carrier turned up and is back in custody. *Requires* ``found``. *Audits* CARRIER_FOUND."""
    carrier = _lock(carrier)
    policy.require(actor, "found", carrier)
    lifecycle.next_state(carrier.status, "found")
    carrier.holder = None
    return _move(actor, carrier, "found", fields=["holder"], note=note[:200])
