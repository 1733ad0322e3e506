"""Carrier services: registration and every lifecycle move (CAR-1..13).

Every function here follows the same order (STYLE 2.2): lock the rows → ``access.require`` →
lifecycle check (``lifecycle.py``) → mutate → ``save(update_fields=…)`` → ``audit.record``.
Lifecycle events target the carrier itself, so its history is read straight from the audit
trail; details carry ids and numbers, never titles or content (CAR-2).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import (
    FORBIDDEN_CHANNELS,
    PRINTABLE_KINDS,
    CampaignStatus,
    CarrierKind,
    CarrierStatus,
    CopyKind,
    DestructionMethod,
    InventoryResult,
    RequestStatus,
    TransferChannel,
    TransferStatus,
)
from baomi.carriers.models import (
    Carrier,
    ContentConsent,
    CopyRequest,
    DeclassificationReview,
    DestructionRequest,
    DownloadRequest,
    InventoryCampaign,
    InventoryEntry,
    InventorySignOff,
    LoanRequest,
    PrintRecord,
    RecallCampaign,
    RecallEntry,
    RegistrySequence,
    RepairRecord,
    StorageRecord,
    TakeOutRequest,
    Transfer,
)
from baomi.classification.selectors import in_scope
from baomi.core import levels
from baomi.core.errors import CeilingExceeded, InvalidTransition, ValidationFailed
from baomi.kit.service import internal, own_transaction, service

# The kind letter of a registry number: 纸 paper, 电 electronic, 介 medium, 设 device, 品 密品.
KIND_CODE = {
    CarrierKind.PAPER: "纸",
    CarrierKind.ELECTRONIC: "电",
    CarrierKind.MEDIUM: "介",
    CarrierKind.DEVICE: "设",
    CarrierKind.SECRET_PRODUCT: "品",
}
MAX_COPIES = 999
# Carriers that no longer sit in anyone's custody: no inventory, no recall.
GONE = (CarrierStatus.DESTROYED, CarrierStatus.ARCHIVED, CarrierStatus.RETURNED, CarrierStatus.MISSING)
LIVE_ITEM_STATES = ("proposed", "pending_upward", "determined")


@internal
def format_registry_number(year: int, kind: str, sequence: int) -> str:
    """The registry number: ``<year>-<kind letter>-<6-digit sequence>``, e.g. ``2026-纸-000123``
    (CAR-1). The series is per year and kind inside this unit; one deployment is one unit.
    A pure formatter: no policy, no writes."""
    return f"{year}-{KIND_CODE[CarrierKind(kind)]}-{sequence:06d}"


def relevel_carriers(item: Any) -> int:
    """Keep every carrier's ``level`` equal to its item's after a determination, change or
    lifting (CLS-2: every carrier shows the item's mark). Called inside the classification
    service's transaction, which has already checked policy and writes the audit entry."""
    return Carrier.objects.filter(item_id=item.pk).exclude(level=item.level).update(level=item.level)


# --- helpers ---------------------------------------------------------------------------------


def _lock(carrier: Carrier | int) -> Carrier:
    pk = carrier.pk if isinstance(carrier, Carrier) else carrier
    return Carrier.objects.select_for_update().select_related("item").get(pk=pk)


def _lock_row(model: Any, obj: Any) -> Any:
    return model.objects.select_for_update().get(pk=obj.pk)


def _details(carrier: Carrier, **extra: Any) -> dict[str, Any]:
    """Audit details of a carrier event: the item id lets the 知悉记录 be derived (CAR-2)."""
    return {"item_id": carrier.item_id, "registry_number": carrier.registry_number, **extra}


def _cleared(user: Any, level: str) -> bool:
    return bool(user is not None and user.is_active and levels.dominates(user.clearance, level))


def _move(
    actor: Any, carrier: Carrier, action: str, *, fields: Iterable[str] = (), **details: Any
) -> Carrier:
    """Apply one row of the transition table to a locked carrier: policy, state, save, audit."""
    policy.require(actor, lifecycle.policy_action_for(action), carrier)
    move = lifecycle.next_state(carrier.status, action)
    before = carrier.status
    carrier.status = move.next_state
    carrier.save(update_fields=["status", *fields])
    record(
        actor,
        move.event,
        carrier,
        details=_details(carrier, **{"from": before, "to": move.next_state}, **details),
    )
    return carrier


def _require_future(day: dt.date, field: str) -> None:
    """A campaign's deadline is today or later (CAR-8, CAR-9)."""
    if day < timezone.localdate():
        msg = _("The deadline cannot be in the past.")
        raise ValidationFailed(msg, fields={field: [msg]})


def _require_text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [message]})
    return value


def _next_copy_number(item_id: int) -> int:
    top = Carrier.objects.filter(item_id=item_id).aggregate(m=Max("copy_number"))["m"]
    return int(top or 0) + 1


def _allocate(year: int, kind: str, count: int) -> int:
    """Take ``count`` consecutive sequence numbers for (year, kind); return the first.

    The ``RegistrySequence`` row is locked (``select_for_update``) for the rest of the
    transaction, so concurrent registrations queue and numbers stay unique and gapless; a
    rolled-back registration gives its numbers back with the rollback (CAR-1).
    """
    seq = RegistrySequence.objects.select_for_update().filter(year=year, kind=kind).first()
    if seq is None:
        try:
            with transaction.atomic():
                RegistrySequence.objects.create(year=year, kind=kind, last=0)
        except IntegrityError:
            pass  # another registration created it first; lock theirs below
        seq = RegistrySequence.objects.select_for_update().get(year=year, kind=kind)
    first = seq.last + 1
    seq.last += count
    seq.save(update_fields=["last"])
    return first


def _new_carriers(
    actor: Any, *, item: Any, kind: str, title: str, custodian: Any, count: int, parent: Carrier | None = None,
    **fields: Any,
) -> list[Carrier]:  # fmt: skip
    # Lock order everywhere: the item, then the sequence row. The item lock keeps 份号 unique
    # when carriers of different kinds of one item are registered at once.
    type(item).objects.select_for_update().filter(pk=item.pk).first()
    year = (fields.get("made_on") or timezone.localdate()).year
    first = _allocate(year, kind, count)
    first_copy = _next_copy_number(item.pk)
    department = fields.pop("department", None) or custodian.department
    made = []
    for i in range(count):
        carrier = Carrier(
            registry_number=format_registry_number(year, kind, first + i), year=year, kind=kind,
            sequence=first + i, copy_number=f"{first_copy + i:06d}", item=item, level=item.level,
            title=title, custodian=custodian, department=department, parent=parent, registered_by=actor, **fields,
        )  # fmt: skip
        carrier.save(force_insert=True)
        record(actor, AuditEvent.CARRIER_REGISTERED, carrier,
               details=_details(carrier, copy_number=carrier.copy_number, kind=kind,
                                parent_id=parent.pk if parent else None))  # fmt: skip
        made.append(carrier)
    return made


# --- registration (CAR-1) --------------------------------------------------------------------


@service
def register_carrier(
    actor: Any, *, item: Any, kind: str, custodian: Any, title: str = "", copies: int = 1,
    storage_place: str = "", pages: int | None = None, made_on: dt.date | None = None, produced_at: str = "",
    produced_on_device: str = "", originator: str = "", department: Any = None,
) -> list[Carrier]:  # fmt: skip
    """Register ``copies`` carriers of an item, 份号 ``000001``… per copy (CAR-1, R-CAR-1).

    *Requires* ``carriers.register`` (the security office) and clearance for the item's level.
    *Audits* CARRIER_REGISTERED per carrier. *Raises* ``CeilingExceeded`` above the
    accreditation ceiling (SEC-8), ``ValidationFailed`` for a bad kind, count or custodian.
    """
    policy.require(actor, "carriers.register")
    if not levels.within_ceiling(item.level):
        raise CeilingExceeded()
    if not policy.clearance_dominates(actor, item.level):
        raise AccessDenied(action="register", target=item)
    if kind not in CarrierKind.values:
        raise ValidationFailed(
            _("Choose a kind of carrier."), fields={"kind": [_("Choose a kind of carrier.")]}
        )
    if item.status not in LIVE_ITEM_STATES:
        raise ValidationFailed(_("Carriers can only be registered for a live classified item."))
    if not isinstance(copies, int) or not 1 <= copies <= MAX_COPIES:
        msg: Any = _("The number of copies must be between 1 and %(max)s.") % {"max": MAX_COPIES}
        raise ValidationFailed(msg, fields={"copies": [msg]})
    if pages is not None and pages < 0:
        raise ValidationFailed(
            _("Pages cannot be negative."), fields={"pages": [_("Pages cannot be negative.")]}
        )
    if not _cleared(custodian, item.level):
        msg = _("The custodian's clearance does not reach the level of this item.")
        raise ValidationFailed(msg, fields={"custodian": [msg]})
    if made_on is not None and made_on > timezone.localdate():
        # CAR-1: the date made is a fact of the past; it also fixes the year of the number.
        msg = _("The date made cannot be in the future.")
        raise ValidationFailed(msg, fields={"made_on": [msg]})
    return _new_carriers(
        actor, item=item, kind=kind, title=(title or item.title).strip(), custodian=custodian, count=copies,
        storage_place=storage_place, pages=pages, made_on=made_on or timezone.localdate(),
        produced_at=produced_at, produced_on_device=produced_on_device, originator=originator,
        department=department,
    )  # fmt: skip


# --- originator consent for 绝密 (R-AC-3) ----------------------------------------------------


@service
def record_consent(
    actor: Any, carrier: Carrier, *, download: bool = False, copy: bool = False, print_: bool = False,
    originator: str, reference: str,
) -> ContentConsent:  # fmt: skip
    """Record the originator's consent that unlocks download, copy or print of a 绝密 item
    (R-AC-3, R-CAR-12). *Requires* ``consent`` on one of its carriers. *Audits* CONSENT_RECORDED."""
    carrier = _lock(carrier)
    policy.require(actor, "consent", carrier)
    originator = _require_text(originator, "originator", _("Name the consenting originator."))
    reference = _require_text(reference, "reference", _("Give the reference of the written consent."))
    if not (download or copy or print_):
        raise ValidationFailed(_("Choose at least one use to unlock."))
    consent = ContentConsent(
        item=carrier.item, allow_download=download, allow_copy=copy, allow_print=print_,
        originator=originator, reference=reference, recorded_by=actor,
    )  # fmt: skip
    consent.save(force_insert=True)
    record(actor, AuditEvent.CONSENT_RECORDED, carrier,
           details=_details(carrier, consent_id=consent.pk, download=download, copy=copy, print=print_))  # fmt: skip
    return consent


@service
def revoke_consent(actor: Any, consent: ContentConsent) -> ContentConsent:
    """Revoke a consent; 绝密 uses are blocked again (R-AC-3). *Audits* CONSENT_REVOKED."""
    consent = ContentConsent.objects.select_for_update().select_related("item").get(pk=consent.pk)
    policy.require(actor, "revoke", consent)
    if consent.revoked_at is not None:
        raise ValidationFailed(_("This consent was already revoked."))
    consent.revoked_at = timezone.now()
    consent.save(update_fields=["revoked_at"])
    record(actor, AuditEvent.CONSENT_REVOKED, consent.item, details={"consent_id": consent.pk})
    return consent


# --- generic approval of the small request models ------------------------------------------

REJECT_EVENTS = {
    LoanRequest: AuditEvent.LOAN_REJECTED,
    CopyRequest: AuditEvent.COPY_REJECTED,
    DownloadRequest: AuditEvent.DOWNLOAD_REJECTED,
    TakeOutRequest: AuditEvent.TAKE_OUT_REJECTED,
}


def _lock_request(model: Any, request: Any) -> Any:
    return model.objects.select_for_update().select_related("carrier", "carrier__item").get(pk=request.pk)


def _decide(actor: Any, request: Any, status: str, note: str) -> None:
    if request.status != RequestStatus.PENDING:
        raise ValidationFailed(_("This request has already been decided."))
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@service
def reject_request(actor: Any, request: Any, *, note: str = "") -> Any:
    """Reject a loan, copy, download or take-out request (CAR-4/6/9).

    *Requires* ``approve`` on the request (the approver who could have approved it).
    *Audits* the matching ``*_REJECTED`` event on the carrier."""
    request = _lock_request(type(request), request)
    policy.require(actor, "approve", request)
    _decide(actor, request, RequestStatus.REJECTED, note)
    record(actor, REJECT_EVENTS[type(request)], request.carrier,
           details=_details(request.carrier, request_id=request.pk))  # fmt: skip
    return request


@service
def withdraw_request(actor: Any, request: Any) -> Any:
    """The requester withdraws a request that still waits. *Requires* ``withdraw``."""
    request = _lock_request(type(request), request)
    policy.require(actor, "withdraw", request)
    if request.status != RequestStatus.PENDING:
        raise ValidationFailed(_("This request has already been decided."))
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status"])
    record(actor, REJECT_EVENTS[type(request)], request.carrier,
           details=_details(request.carrier, request_id=request.pk, withdrawn=True))  # fmt: skip
    return request


# --- loans (CAR-6) ---------------------------------------------------------------------------


@service
def request_loan(
    actor: Any, carrier: Carrier, *, place: str, due_on: dt.date, reason: str, borrower: Any = None
) -> LoanRequest:
    """Ask to borrow a carrier for reading at a named place until a due date (CAR-6, R-CAR-4).

    *Requires* ``lend`` (a person in scope for themselves; the custodian or the security office
    on behalf of a borrower). The borrower must be cleared and in scope. *Audits* LOAN_REQUESTED.
    """
    carrier = _lock(carrier)
    policy.require(actor, "lend", carrier)
    lifecycle.require_state(carrier.status, "request_loan")
    borrower = borrower or actor
    if borrower.pk != actor.pk and not (
        carrier.custodian_id == actor.pk or policy.can(actor, "seal", carrier)
    ):
        raise AccessDenied(action="lend", target=carrier)
    if borrower.pk == carrier.custodian_id:
        raise ValidationFailed(_("The custodian already holds this carrier."))
    if not (_cleared(borrower, carrier.level) and in_scope(borrower, carrier.item)):
        msg = _("The borrower is not cleared for this carrier or not in its need-to-know scope.")
        raise ValidationFailed(msg, fields={"borrower": [msg]})
    place = _require_text(place, "place", _("Name the place of reading."))
    reason = _require_text(reason, "reason", _("Give a reason."))
    if due_on < timezone.localdate():
        msg = _("The due date cannot be in the past.")
        raise ValidationFailed(msg, fields={"due_on": [msg]})
    if LoanRequest.objects.filter(
        carrier=carrier, status__in=[RequestStatus.PENDING, RequestStatus.APPROVED]
    ).exists():
        raise ValidationFailed(_("This carrier already has an open loan request."))
    loan = LoanRequest(carrier=carrier, requested_by=actor, borrower=borrower, place=place, due_on=due_on,
                       reason=reason)  # fmt: skip
    loan.save(force_insert=True)
    record(actor, AuditEvent.LOAN_REQUESTED, carrier,
           details=_details(carrier, request_id=loan.pk, borrower_id=borrower.pk, due_on=due_on))  # fmt: skip
    return loan


@service
def approve_loan(actor: Any, loan: LoanRequest, *, note: str = "") -> LoanRequest:
    """Approve a loan; the carrier is lent to the borrower (CAR-6).

    *Requires* ``approve`` on the loan (unit head or head of the carrier's department, never the
    requester). *Audits* LOAN_APPROVED on the carrier."""
    loan = _lock_request(LoanRequest, loan)
    carrier = _lock(loan.carrier)
    policy.require(actor, "approve", loan)
    lifecycle.next_state(carrier.status, "lend")
    if loan.status == RequestStatus.PENDING and loan.due_on < timezone.localdate():
        # CAR-6: a loan approved after its due date would be overdue from the start.
        raise ValidationFailed(
            _("The due date of this loan request has passed; reject it and ask for a new one.")
        )
    _decide(actor, loan, RequestStatus.APPROVED, note)
    loan.lent_at = timezone.now()
    loan.save(update_fields=["lent_at"])
    carrier.holder = loan.borrower
    _move(actor, carrier, "lend", fields=["holder"], request_id=loan.pk, borrower_id=loan.borrower_id,
          due_on=loan.due_on)  # fmt: skip
    return loan


@service
def return_carrier(actor: Any, carrier: Carrier, *, note: str = "") -> LoanRequest:
    """Register the return of a lent carrier, counted back by the custodian or the security
    office (CAR-6). *Requires* ``return``. *Audits* CARRIER_RETURNED."""
    carrier = _lock(carrier)
    policy.require(actor, "return", carrier)
    lifecycle.next_state(carrier.status, "return")
    loan = LoanRequest.objects.select_for_update().get(carrier=carrier, status=RequestStatus.APPROVED)
    loan.status = RequestStatus.DONE
    loan.returned_at = timezone.now()
    loan.received_back_by = actor
    loan.save(update_fields=["status", "returned_at", "received_back_by"])
    carrier.holder = None
    late = loan.due_on < timezone.localdate()
    _move(actor, carrier, "return", fields=["holder"], request_id=loan.pk, late=late, note=note[:200])
    return loan


@internal
def remind_overdue_loans(today: dt.date | None = None) -> int:
    """Mark every overdue loan as reminded today, once a day (CAR-6); the borrower and the
    approver see it on their start page. Called by the scheduled job ``carriers.overdue_loans``
    (no person acts, so no policy check; its own transaction). *Audits* LOAN_REMINDED."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        overdue = (
            LoanRequest.objects.select_for_update()
            .select_related("carrier")
            .filter(status=RequestStatus.APPROVED, due_on__lt=today)
            .exclude(reminded_on=today)
        )
        for loan in overdue:
            loan.reminded_on = today
            loan.save(update_fields=["reminded_on"])
            record(None, AuditEvent.LOAN_REMINDED, loan.carrier,
                   details=_details(loan.carrier, request_id=loan.pk, borrower_id=loan.borrower_id,
                                    days_overdue=(today - loan.due_on).days))  # fmt: skip
            count += 1
    return count


# --- copy, excerpt, compile (CAR-4, R-CAR-5/6) ----------------------------------------------


def _check_copy_custodian(actor: Any, carrier: Carrier, custodian: Any) -> None:
    """Copies are made for people who may know them: the custodian named for the copies is
    cleared for the level and, unless it is the requester (who passed ``copy``) or the
    original's custodian, in the item's need-to-know scope — copying is not a way to widen the
    scope, which is an expansion request of its own (CAR-3, R-SCOPE-2)."""
    if not _cleared(custodian, carrier.level):
        msg = _("The custodian's clearance does not reach the level of this item.")
        raise ValidationFailed(msg, fields={"custodian": [msg]})
    if custodian.pk not in {actor.pk, carrier.custodian_id} and not in_scope(custodian, carrier.item):
        msg = _(
            "The custodian of the copies is not in the need-to-know scope of this item; "
            "ask for the scope to be extended first."
        )
        raise ValidationFailed(msg, fields={"custodian": [msg]})


@service
def request_copy(
    actor: Any,
    carrier: Carrier,
    *,
    kind: str = CopyKind.COPY,
    copies: int = 1,
    reason: str,
    custodian: Any = None,
) -> CopyRequest:
    """Ask to copy, excerpt or compile a carrier (CAR-4). *Requires* ``copy`` (in scope or
    custody; 绝密 only with the originator's consent, R-AC-3). *Audits* COPY_REQUESTED."""
    carrier = _lock(carrier)
    policy.require(actor, "copy", carrier)
    lifecycle.require_state(carrier.status, "request_copy")
    if kind not in CopyKind.values:
        raise ValidationFailed(_("Choose copy, excerpt or compilation."))
    if not isinstance(copies, int) or not 1 <= copies <= 50:
        msg: Any = _("The number of copies must be between 1 and %(max)s.") % {"max": 50}
        raise ValidationFailed(msg, fields={"copies": [msg]})
    reason = _require_text(reason, "reason", _("Give a reason."))
    custodian = custodian or actor
    _check_copy_custodian(actor, carrier, custodian)
    req = CopyRequest(carrier=carrier, requested_by=actor, kind=kind, copies=copies, reason=reason,
                      custodian=custodian)  # fmt: skip
    req.save(force_insert=True)
    record(actor, AuditEvent.COPY_REQUESTED, carrier,
           details=_details(carrier, request_id=req.pk, kind=kind, copies=copies))  # fmt: skip
    return req


@service
def _check_copy_approval(actor: Any, req: CopyRequest) -> tuple[Carrier, int]:
    """The checks of :func:`approve_copy` before any content is copied: ``approve`` on the
    request (unit head; 绝密 only with consent, R-AC-3), the original's state, still pending.
    Changes nothing; a refusal is audited by ``@service``."""
    req = _lock_request(CopyRequest, req)
    carrier = _lock(req.carrier)
    policy.require(actor, "approve", req)
    lifecycle.require_state(carrier.status, "copy")
    if req.status != RequestStatus.PENDING:
        raise ValidationFailed(_("This request has already been decided."))
    # The scope or clearance may have changed since the request (CAR-3).
    _check_copy_custodian(req.requested_by, carrier, req.custodian)
    return Carrier.objects.select_related("item", "blob").get(pk=carrier.pk), req.copies


@service
def _register_copies(actor: Any, req: CopyRequest, blobs: list[Any], *, note: str = "") -> list[Carrier]:
    """Decide the request and register the copies (all checks repeated under lock); link each
    prepared blob to its child carrier (CONTENT_COPIED on the child)."""
    from baomi.carriers import services_content as content

    req = _lock_request(CopyRequest, req)
    carrier = _lock(req.carrier)
    policy.require(actor, "approve", req)
    lifecycle.require_state(carrier.status, "copy")
    if blobs and (
        len(blobs) != req.copies or carrier.kind != CarrierKind.ELECTRONIC or carrier.blob_id is None
    ):
        raise ValidationFailed(_("The original changed while it was being copied; approve again."))
    _decide(actor, req, RequestStatus.APPROVED, note)
    made = _new_carriers(
        actor, item=carrier.item, kind=carrier.kind, title=carrier.title, custodian=req.custodian,
        count=req.copies, parent=carrier, storage_place="", pages=carrier.pages, made_on=timezone.localdate(),
        originator=carrier.originator,
    )  # fmt: skip
    for child, blob in zip(made, blobs, strict=False):
        content.link_copy(actor, child, blob, parent=carrier, request_id=req.pk)
    req.produced.set(made)
    req.status = RequestStatus.DONE
    req.save(update_fields=["status"])
    record(actor, AuditEvent.COPY_APPROVED, carrier,
           details=_details(carrier, request_id=req.pk, copies=[c.registry_number for c in made],
                            content_copied=bool(blobs)))  # fmt: skip
    return made


@own_transaction
def approve_copy(actor: Any, req: CopyRequest, *, note: str = "") -> list[Carrier]:
    """Approve a copy request; the copies are registered at once as child carriers with the
    same mark, their own numbers and 份号 and the named custodian (CAR-4, CAR-5, R-CAR-5).
    An electronic original's content is copied into each child as a new blob of its own
    (own random data key), so shredding one never touches the other.

    *Requires* ``approve`` on the request (unit head; 绝密 only with consent, R-AC-3), checked
    by the ``@service`` :func:`_check_copy_approval` BEFORE any content is read and again under
    lock when the copies are registered. Three steps, so that on SQLite no write lock is held
    while content is encrypted (the vault's note on ``store``): check → copy the content outside
    any transaction (``services_content.copy_blobs``: BLOB_READ and CONTENT_COPY_READ on the
    original, BLOB_STORED per copy) → register in one ``@service`` transaction. If that last
    step fails, the prepared blobs are crypto-shredded. *Audits* COPY_APPROVED on the
    original, CARRIER_REGISTERED and CONTENT_COPIED per copy."""
    from baomi.carriers import services_content as content

    carrier, copies = _check_copy_approval(actor, req)
    blobs = content.copy_blobs(actor, carrier, copies, request_id=req.pk)
    try:
        return _register_copies(actor, req, blobs, note=note)
    except BaseException:
        content.discard_blobs(actor, blobs)
        raise


# --- downloads (CAR-4, CAR-13) ---------------------------------------------------------------


@service
def request_download(actor: Any, carrier: Carrier, *, reason: str) -> DownloadRequest:
    """Ask to download classified content (CAR-4). *Requires* ``download``. *Audits*
    DOWNLOAD_REQUESTED."""
    carrier = _lock(carrier)
    policy.require(actor, "download", carrier)
    lifecycle.require_state(carrier.status, "request_download")
    if carrier.blob_id is None:
        raise ValidationFailed(_("This carrier has no electronic content."))
    reason = _require_text(reason, "reason", _("Give a reason."))
    req = DownloadRequest(carrier=carrier, requested_by=actor, reason=reason)
    req.save(force_insert=True)
    record(actor, AuditEvent.DOWNLOAD_REQUESTED, carrier, details=_details(carrier, request_id=req.pk))
    return req


@service
def approve_download(actor: Any, req: DownloadRequest, *, note: str = "") -> DownloadRequest:
    """Approve one download by the requester (CAR-4). *Requires* ``approve`` (unit head; 绝密
    only with consent). *Audits* DOWNLOAD_APPROVED."""
    req = _lock_request(DownloadRequest, req)
    policy.require(actor, "approve", req)
    _decide(actor, req, RequestStatus.APPROVED, note)
    record(actor, AuditEvent.DOWNLOAD_APPROVED, req.carrier, details=_details(req.carrier, request_id=req.pk))
    return req


@internal
def needs_download_approval(carrier: Carrier) -> bool:
    """Classified content (state secrets and work secrets) needs an approved request (CAR-4).
    A pure predicate used inside ``download_content``, which checks policy."""
    return levels.rank(carrier.level) >= levels.rank(levels.Level.WORK_SECRET)


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
        msg = _("The count does not match the register (%(expected)s). Do not sign; report it to the security office.") % {
            "expected": expected
        }  # fmt: skip
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


# --- repair and taking out (CAR-9) -----------------------------------------------------------


@service
def start_repair(
    actor: Any, carrier: Carrier, *, technician: str, place: str, fault: str, outside: bool = False,
    company: str = "", supervisor: Any = None,
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
    rec = RepairRecord(carrier=carrier, technician=technician, outside=outside, company=company.strip(),
                       supervisor=supervisor, place=place, fault=fault, recorded_by=actor)  # fmt: skip
    rec.save(force_insert=True)
    _move(actor, carrier, "repair", repair_id=rec.pk, outside=outside,
          supervisor_id=supervisor.pk if supervisor else None)  # fmt: skip
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
    _move(actor, carrier, "take_out", fields=["holder"], request_id=req.pk, abroad=req.abroad)
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
    if on is not None and on > timezone.localdate():
        msg = _("The date cannot be in the future.")  # a record of what was done (CAR-10)
        raise ValidationFailed(msg, fields={"on": [msg]})
    rec = StorageRecord(carrier=carrier, action=action, place=place, on=on or timezone.localdate(),
                        note=(note or "")[:300], recorded_by=actor)  # fmt: skip
    rec.save(force_insert=True)
    carrier.storage_place = place
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
        actor, carrier, "seal", fields=["storage_place"], record_id=rec.pk, place=rec.place, on=rec.on
    )


@service
def unseal_carrier(actor: Any, carrier: Carrier, *, place: str, note: str = "") -> Carrier:
    """Unseal a carrier back into custody (CAR-10). *Requires* ``unseal``. *Audits* CARRIER_UNSEALED."""
    carrier = _lock(carrier)
    policy.require(actor, "unseal", carrier)
    lifecycle.next_state(carrier.status, "unseal")
    rec = _storage(actor, carrier, StorageRecord.Action.UNSEAL, place, None, note)
    return _move(actor, carrier, "unseal", fields=["storage_place"], record_id=rec.pk, place=rec.place)


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
    _move(actor, carrier, "archive", fields=["storage_place"], record_id=rec.pk, place=rec.place, on=rec.on)
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


def _open_incident(actor: Any, carrier: Carrier, result: str, source: str, source_ref: str) -> Any:
    from baomi.supervision.services import open_incident

    title = str(_("Carrier %(number)s %(result)s")) % {"number": carrier.registry_number, "result": result}
    return open_incident(actor, title=title, source=source, source_ref=source_ref, level=carrier.level,
                         description=str(_("Found during carrier management; see the carrier's history.")))  # fmt: skip


@service
def mark_missing(actor: Any, carrier: Carrier, *, note: str = "", open_incident: bool = True) -> Carrier:
    """Report a carrier missing; an incident is opened (CAR-8, SUP-2). *Requires*
    ``mark_missing``. *Audits* CARRIER_MISSING (and INCIDENT_OPENED)."""
    carrier = _lock(carrier)
    policy.require(actor, "mark_missing", carrier)
    lifecycle.next_state(carrier.status, "mark_missing")
    incident_id = None
    if open_incident:
        incident_id = _open_incident(actor, carrier, str(_("missing")), "carrier", carrier.registry_number).pk
    return _move(actor, carrier, "mark_missing", incident_id=incident_id, note=note[:200])


@service
def found_carrier(actor: Any, carrier: Carrier, *, note: str = "") -> Carrier:
    """A missing carrier turned up and is back in custody. *Requires* ``found``. *Audits* CARRIER_FOUND."""
    carrier = _lock(carrier)
    policy.require(actor, "found", carrier)
    lifecycle.next_state(carrier.status, "found")
    carrier.holder = None
    return _move(actor, carrier, "found", fields=["holder"], note=note[:200])


# --- recall campaigns (CAR-9, R-CAR-10) ------------------------------------------------------


@service
def launch_recall(actor: Any, *, issuer: str, title: str, due_on: dt.date) -> RecallCampaign:
    """Recall every carrier from one issuer still held here (清退, R-CAR-10). *Requires*
    ``carriers.campaigns``. *Audits* RECALL_LAUNCHED."""
    policy.require(actor, "carriers.campaigns")
    issuer = _require_text(issuer, "issuer", _("Name the issuer."))
    title = _require_text(title, "title", _("Give a title."))
    _require_future(due_on, "due_on")
    carriers = policy.visible(
        actor, Carrier.objects.filter(originator=issuer).exclude(status__in=GONE), "view"
    )
    ids = list(carriers.values_list("pk", flat=True))
    if not ids:
        raise ValidationFailed(
            _("No carriers from this issuer are held here."), fields={"issuer": [_("No carriers.")]}
        )
    campaign = RecallCampaign(issuer=issuer, title=title, due_on=due_on, launched_by=actor)
    campaign.save(force_insert=True)
    RecallEntry.objects.bulk_create([RecallEntry(campaign=campaign, carrier_id=pk) for pk in ids])
    record(actor, AuditEvent.RECALL_LAUNCHED, campaign, details={"issuer": issuer, "carriers": len(ids)})
    return campaign


@service
def record_recall_return(actor: Any, entry: RecallEntry) -> RecallEntry:
    """One recalled carrier is handed back to its issuer (R-CAR-10). *Requires* ``recall`` on
    the carrier. *Audits* CARRIER_RECALLED."""
    entry = RecallEntry.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
    carrier = _lock(entry.carrier_id)
    policy.require(actor, "recall", carrier)
    if entry.campaign.status != CampaignStatus.OPEN or entry.returned_at is not None:
        raise ValidationFailed(_("This recall entry is already closed."))
    lifecycle.next_state(carrier.status, "recall")
    entry.returned_at = timezone.now()
    entry.received_by = actor
    entry.save(update_fields=["returned_at", "received_by"])
    _move(actor, carrier, "recall", campaign_id=entry.campaign_id)
    return entry


@service
def close_recall(actor: Any, campaign: RecallCampaign) -> RecallCampaign:
    """Close a recall; what was not returned stays listed. *Requires* ``manage``. *Audits* RECALL_CLOSED."""
    campaign = _lock_row(RecallCampaign, campaign)
    policy.require(actor, "manage", campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This campaign is already closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    outstanding = campaign.entries.filter(returned_at__isnull=True).count()
    record(actor, AuditEvent.RECALL_CLOSED, campaign, details={"not_returned": outstanding})
    return campaign


# --- inventory campaigns (CAR-8) -------------------------------------------------------------


@service
def start_inventory(actor: Any, *, title: str, due_on: dt.date) -> InventoryCampaign:
    """Start an inventory: every carrier in custody is listed under its custodian (CAR-8).
    *Requires* ``carriers.campaigns``. *Audits* INVENTORY_STARTED."""
    policy.require(actor, "carriers.campaigns")
    title = _require_text(title, "title", _("Give a title."))
    _require_future(due_on, "due_on")
    if InventoryCampaign.objects.filter(status=CampaignStatus.OPEN).exists():
        raise ValidationFailed(_("Another inventory is still open; close it first."))
    held = Carrier.objects.exclude(status__in=GONE).values_list("pk", "custodian_id")
    campaign = InventoryCampaign(title=title, due_on=due_on, started_by=actor)
    campaign.save(force_insert=True)
    InventoryEntry.objects.bulk_create(
        [InventoryEntry(campaign=campaign, carrier_id=pk, custodian_id=cust) for pk, cust in held],
        batch_size=1000,
    )
    record(actor, AuditEvent.INVENTORY_STARTED, campaign, details={"carriers": len(held)})
    return campaign


@service
def check_inventory_entry(
    actor: Any, entry: InventoryEntry, *, result: str, note: str = ""
) -> InventoryEntry:
    """Record what was found for one carrier: present, missing or damaged (CAR-8). *Requires*
    ``check`` (its custodian or the security office). *Audits* INVENTORY_CHECKED."""
    entry = InventoryEntry.objects.select_for_update().select_related("carrier", "campaign").get(pk=entry.pk)
    policy.require(actor, "check", entry)
    if entry.campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    if InventorySignOff.objects.filter(campaign=entry.campaign, custodian_id=entry.custodian_id).exists():
        raise ValidationFailed(_("This list has already been signed off."))
    if result not in (InventoryResult.CONFIRMED, InventoryResult.MISSING, InventoryResult.DAMAGED):
        raise ValidationFailed(_("Choose present, missing or damaged."))
    if result != InventoryResult.CONFIRMED and not note.strip():
        msg = _("Describe what is wrong.")
        raise ValidationFailed(msg, fields={"note": [msg]})
    entry.result = result
    entry.note = note.strip()[:300]
    entry.checked_at = timezone.now()
    entry.save(update_fields=["result", "note", "checked_at"])
    record(actor, AuditEvent.INVENTORY_CHECKED, entry.carrier,
           details=_details(entry.carrier, campaign_id=entry.campaign_id, result=result))  # fmt: skip
    return entry


@service
def sign_inventory(actor: Any, campaign: InventoryCampaign, *, custodian: Any = None) -> InventorySignOff:
    """A custodian signs their list (CAR-8). Every discrepancy opens an incident; a missing
    carrier becomes ``missing`` (账物相符). *Requires* ``sign``. *Audits* INVENTORY_SIGNED,
    INCIDENT_OPENED and CARRIER_MISSING."""
    campaign = _lock_row(InventoryCampaign, campaign)
    policy.require(actor, "sign", campaign)
    custodian = custodian or actor
    if custodian.pk != actor.pk:
        raise AccessDenied(action="sign", target=campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    entries = list(campaign.entries.select_for_update().select_related("carrier").filter(custodian=custodian))
    if not entries:
        raise ValidationFailed(_("Nothing is listed for you in this inventory."))
    if any(e.result == InventoryResult.PENDING for e in entries):
        raise ValidationFailed(_("Check every carrier on your list before signing."))
    if InventorySignOff.objects.filter(campaign=campaign, custodian=custodian).exists():
        raise ValidationFailed(_("This list has already been signed off."))
    sign = InventorySignOff(campaign=campaign, custodian=custodian)
    sign.save(force_insert=True)
    problems = 0
    for entry in entries:
        if entry.result == InventoryResult.CONFIRMED:
            continue
        problems += 1
        carrier = _lock(entry.carrier_id)
        entry.incident = _open_incident(
            actor, carrier, entry.get_result_display(), "inventory", str(campaign.pk)
        )
        entry.save(update_fields=["incident"])
        if entry.result == InventoryResult.MISSING and lifecycle.permits(carrier.status, "mark_missing"):
            # The custodian reports; the registry row changes under the inventory's authority (CAR-8).
            move = lifecycle.next_state(carrier.status, "mark_missing")
            before = carrier.status
            carrier.status = move.next_state
            carrier.save(update_fields=["status"])
            record(actor, move.event, carrier,
                   details=_details(carrier, campaign_id=campaign.pk, incident_id=entry.incident_id,
                                    **{"from": before, "to": move.next_state}))  # fmt: skip
    record(actor, AuditEvent.INVENTORY_SIGNED, campaign,
           details={"custodian_id": custodian.pk, "carriers": len(entries), "discrepancies": problems})  # fmt: skip
    return sign


@service
def close_inventory(actor: Any, campaign: InventoryCampaign) -> InventoryCampaign:
    """Close an inventory once every custodian has signed (CAR-8). *Requires* ``manage``.
    *Audits* INVENTORY_CLOSED."""
    campaign = _lock_row(InventoryCampaign, campaign)
    policy.require(actor, "manage", campaign)
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationFailed(_("This inventory is closed."))
    custodians = set(campaign.entries.values_list("custodian_id", flat=True))
    signed = set(campaign.signoffs.values_list("custodian_id", flat=True))
    if custodians - signed:
        raise ValidationFailed(
            _("%(count)s custodians have not signed yet.") % {"count": len(custodians - signed)}
        )
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at"])
    discrepancies = campaign.entries.exclude(result=InventoryResult.CONFIRMED).count()
    record(actor, AuditEvent.INVENTORY_CLOSED, campaign,
           details={"carriers": campaign.entries.count(), "discrepancies": discrepancies})  # fmt: skip
    return campaign


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
    requester). *Audits* DESTRUCTION_APPROVED."""
    req = _lock_destruction(req)
    policy.require(actor, "approve", req)
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
    destroyed_on: dt.date | None = None, facility: str = "",
) -> DestructionRequest:  # fmt: skip
    """Destroy the approved carriers before two witnesses by a method or at a facility
    (CAR-11, R-CAR-11). Each carrier stays in the registry as ``destroyed``; electronic content
    is crypto-shredded by the vault. *Requires* ``execute`` (security office). *Audits*
    CARRIER_DESTROYED per carrier (and the vault's BLOB_SHREDDED)."""
    req = _lock_destruction(req)
    policy.require(actor, "execute", req)
    if req.status != RequestStatus.APPROVED:
        raise ValidationFailed(_("Only an approved destruction list can be carried out."))
    if method not in DestructionMethod.values:
        raise ValidationFailed(_("Choose a method."), fields={"method": [_("Choose a method.")]})
    if method == DestructionMethod.FACILITY:
        facility = _require_text(facility, "facility", _("Name the destruction facility."))
    if witness_1 is None or witness_2 is None or witness_1.pk == witness_2.pk:
        msg = _("Two different people must be present.")
        raise ValidationFailed(msg, fields={"witness_2": [msg]})
    destroyed_on = destroyed_on or timezone.localdate()
    if destroyed_on > timezone.localdate():
        raise ValidationFailed(_("The date of destruction cannot be in the future."))
    if req.decided_at is not None and destroyed_on < timezone.localdate(req.decided_at):
        # R-CAR-11: count, register, approve — then destroy; never before the approval.
        msg = _("The date of destruction cannot be before the approval.")
        raise ValidationFailed(msg, fields={"destroyed_on": [msg]})
    carriers = [_lock(c.pk) for c in req.carriers.order_by("pk")]
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
        if not _cleared(witness, levels.highest([c.level for c in carriers] or [req.level])):
            # The witnesses see what is destroyed: active and cleared for it (R-CAR-11).
            msg = _("A witness's clearance does not reach the level of these carriers.")
            raise ValidationFailed(msg, fields={field: [msg]})
    req.method = method
    req.facility = facility.strip()
    req.witness_1 = witness_1
    req.witness_2 = witness_2
    req.destroyed_on = destroyed_on
    req.executed_by = actor
    req.executed_at = timezone.now()
    req.status = RequestStatus.DONE
    req.save(update_fields=["method", "facility", "witness_1", "witness_2", "destroyed_on", "executed_by",
                            "executed_at", "status"])  # fmt: skip
    for carrier in carriers:
        shredded = False
        if carrier.blob_id is not None:
            from baomi.carriers import services_content as content

            content.shred(actor, carrier)
            shredded = True
        carrier.holder = None
        _move(actor, carrier, "destroy", fields=["holder"], request_id=req.pk, method=method,
              witnesses=[witness_1.pk, witness_2.pk], shredded=shredded)  # fmt: skip
    return req
