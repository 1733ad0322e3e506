"""Copy, excerpt, compile (CAR-4, R-CAR-5/6): requests and approval, with content copied per child."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import CarrierKind, CopyKind, RequestStatus
from baomi.carriers.models import Carrier, CopyRequest
from baomi.carriers.services import content
from baomi.carriers.services._common import _cleared, _details, _lock, _new_carriers, _require_text
from baomi.carriers.services.requests import _decide, _lock_request
from baomi.classification.selectors import in_scope
from baomi.core.errors import ValidationFailed
from baomi.kit.service import own_transaction, service

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
    any transaction (``content.copy_blobs``: BLOB_READ and CONTENT_COPY_READ on the
    original, BLOB_STORED per copy) → register in one ``@service`` transaction. If that last
    step fails, the prepared blobs are crypto-shredded. *Audits* COPY_APPROVED on the
    original, CARRIER_REGISTERED and CONTENT_COPIED per copy."""
    carrier, copies = _check_copy_approval(actor, req)
    blobs = content.copy_blobs(actor, carrier, copies, request_id=req.pk)
    try:
        return _register_copies(actor, req, blobs, note=note)
    except BaseException:
        content.discard_blobs(actor, blobs)
        raise
