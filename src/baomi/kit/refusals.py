"""The audit entry of a refusal that reached the web or API layer unaudited (SEC-3, CAR-3)."""

from __future__ import annotations

from typing import Any

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record


def audit_refusal(user: Any, exception: Exception) -> None:
    """Write the ACCESS_DENIED entry of a policy refusal that reached the web or API layer
    without one — a view's own ``require`` — so every refusal is audited once (SEC-3, CAR-3).
    Refusals already audited by ``policy.deny`` or ``@service`` are left alone."""
    if not isinstance(exception, AccessDenied) or exception.audited:
        return
    details = {"action": exception.action}
    if exception.reason:
        details["reason"] = exception.reason
    target = exception.target
    if target is not None and not hasattr(target, "_meta") and not isinstance(target, tuple):
        target = None
    record(user, AuditEvent.ACCESS_DENIED, target, outcome="denied", details=details)
    exception.audited = True
