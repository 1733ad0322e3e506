"""Rejecting and withdrawing the small request models: loans, copies, downloads, take-outs (CAR-4/6/9)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import CopyRequest, DownloadRequest, LoanRequest, TakeOutRequest
from baomi.carriers.services._common import _details
from baomi.core.errors import ValidationFailed
from baomi.kit.service import service

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
    request.decision_reason = (note or "").strip()[:300]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


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
