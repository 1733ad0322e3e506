"""One audited reminder per (kind, record, due date) for the registers' scheduled jobs
(OPS-2; SUP-5/6/7/8/13). The in-app reminder itself is the start page's task list, computed
live; the audit entry says when the system first raised it, once."""

from __future__ import annotations

from datetime import date
from typing import Any

from baomi.audit.models import AuditEntry
from baomi.audit.record import record


def remind_once(event: Any, target: Any, kind: str, due: date | None) -> bool:
    """Audit ``event`` about ``target`` unless one with the same kind and due date exists (a
    record with no due date has nothing to remind of)."""
    if due is None:
        return False
    key = f"{kind}:{due.isoformat()}"
    exists = AuditEntry.objects.filter(
        event=int(event), target_type=target._meta.label_lower, target_id=str(target.pk), details__key=key
    ).exists()
    if exists:
        return False
    record(None, event, target, details={"key": key, "kind": kind, "due": due})
    return True
