"""Scheduled jobs of the audit app: seal committed entries into the chain, and verify it (SEC-3).

The window between an entry's commit and its seal is at most one interval of the scheduler
(plus the longest open transaction); ``verify`` and ``checkpoint`` seal on demand as well.
Idempotent: a run with nothing pending does nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.audit import chain
from baomi.kit.jobs import job


@job("audit_seal", every=timedelta(minutes=1))
def seal(now: datetime) -> dict[str, Any]:
    sealed = chain.seal_pending()
    seq, _mac = chain.head()
    return {"sealed": sealed, "head_seq": seq}


@job("audit_verify", every=timedelta(minutes=15))
def verify(now: datetime) -> dict[str, Any]:
    """The incremental verify from the last signed verification record (``chain.verify_scheduled``);
    a failure is raised as an alert (AUDIT_VERIFIED failed, on the auditor's start page)."""
    from baomi.audit import services

    result = services.scheduled_verify()
    first = result.first
    return {"ok": result.ok, "kind": result.kind, "head_seq": result.head_seq, "checked": result.checked,
            "first_seq": first.seq if first else None, "seconds": round(result.seconds, 3)}  # fmt: skip
