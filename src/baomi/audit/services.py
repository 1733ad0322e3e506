"""Audited actions on the audit trail itself: verify, checkpoint, view, export (SEC-3).

The trail has no service that changes an entry: there is none to call. These functions run the
chain operations and record that they ran (AUDIT_VERIFIED, AUDIT_CHECKPOINTED, AUDIT_VIEWED,
AUDIT_EXPORTED), so the auditor's own reading is in the trail too.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction

from baomi.access import policy
from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.audit.record import record
from baomi.kit.exports import issue_export
from baomi.kit.service import internal, own_transaction

TRAIL = ("audit.trail", "", "audit trail")
log = logging.getLogger("baomi.audit")


@own_transaction
def verify(actor: Any = None, checkpoint: chain.Checkpoint | None = None) -> chain.VerifyResult:
    """Seal what is pending, recompute the whole chain and record the result (SEC-3): the signed
    verification record the scheduled verify starts from next, and AUDIT_VERIFIED. *Policy*:
    none — run by the operator (``baomi audit verify``)."""
    result = chain.verify(checkpoint)
    with transaction.atomic():
        chain.verification_record(result).save(force_insert=True)
        record(actor, AuditEvent.AUDIT_VERIFIED, ("audit.chain", result.head_seq, "audit chain"),
               outcome="ok" if result.ok else "failed", details=result.summary())  # fmt: skip
    return result


@own_transaction
def scheduled_verify() -> chain.VerifyResult:
    """The scheduled, incremental verify (SEC-3; job ``audit_verify``): from the newest signed
    verification record, check what was sealed since and the next window of older seals
    (``chain.verify_scheduled``), and save the new signed record.

    *Policy*: none — the scheduler runs it. *Audits*: a run that finds a problem is the alert —
    AUDIT_VERIFIED with outcome ``failed`` (counted on the auditor's start page) and an error in
    the log; an intact run leaves its verification record and the job's JOB_RAN entry.
    """
    result = chain.verify_scheduled(sweep=settings.AUDIT_VERIFY_SWEEP)
    with transaction.atomic():
        chain.verification_record(result).save(force_insert=True)
        if not result.ok:
            first = result.first
            log.error("scheduled audit chain verification FAILED at sequence %s: %s",
                      first.seq if first else "-", first.problem if first else "")  # fmt: skip
            record(None, AuditEvent.AUDIT_VERIFIED, ("audit.chain", result.head_seq, "audit chain"),
                   outcome="failed", details=result.summary())  # fmt: skip
    return result


@own_transaction
def checkpoint(actor: Any = None) -> chain.Checkpoint:
    """Seal what is pending and return the head (sequence, MAC) to keep elsewhere (SEC-3)."""
    cp = chain.checkpoint_now()
    with transaction.atomic():
        record(actor, AuditEvent.AUDIT_CHECKPOINTED, ("audit.chain", cp.seq, "audit chain"),
               details={"seq": cp.seq, "mac": cp.mac})  # fmt: skip
    return cp


@internal
def require_reader(user: Any) -> None:
    """Only the auditor reads the trail; anyone else gets not-found and an ACCESS_DENIED entry."""
    if not policy.can(user, "read_audit"):
        raise policy.deny(user, "read_audit", TRAIL)


@own_transaction
def viewed(user: Any, *, entry: AuditEntry | None = None, filters: dict[str, Any] | None = None) -> None:
    """Record that the auditor looked at the list (with which filters) or at one entry."""
    target = ("audit.auditentry", entry.pk, f"#{entry.pk}") if entry is not None else TRAIL
    record(user, AuditEvent.AUDIT_VIEWED, target, details={"filters": filters or {}})


@own_transaction
def exported(user: Any, *, filters: dict[str, Any], rows: int, fmt: str) -> str:
    """Audit an export of the trail (AUDIT_EXPORTED) through the one export service (issue 12
    §4) and return its 份号; the caller has checked ``read_audit``."""
    return issue_export(user, AuditEvent.AUDIT_EXPORTED, TRAIL, document="audit.trail", fmt=fmt, rows=rows,
                        filters=filters).number  # fmt: skip
