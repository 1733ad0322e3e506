"""Downloads of classified content (CAR-4, CAR-13): request and approval."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers import lifecycle
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import Carrier, DownloadRequest
from baomi.carriers.services._common import _details, _lock, _require_text
from baomi.carriers.services.requests import _decide, _lock_request
from baomi.core import levels
from baomi.core.errors import ValidationFailed
from baomi.kit.service import internal, service

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
