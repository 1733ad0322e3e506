"""Supervision services. For now: opening an incident (SUP-2), used by inventories (CAR-8) and
violation reports (PER-8)."""

from __future__ import annotations

from typing import Any

from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.kit.service import service
from baomi.supervision.models import Incident


@service
def open_incident(
    actor: Any,
    *,
    title: str,
    description: str = "",
    source: str = "",
    source_ref: str = "",
    level: str = "",
) -> Incident:
    """Open an incident record (SUP-2, R-INC-2: anyone who discovers one reports it).

    *Requires* an active account (any staff member may report). *Audits* INCIDENT_OPENED.
    Callers (inventory sign-off, violation reports) have already passed their own policy check.
    """
    incident = Incident(
        title=title, description=description, source=source, source_ref=source_ref, level=level,
        opened_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    incident.save()
    record(actor, AuditEvent.INCIDENT_OPENED, incident, details={"source": source, "source_ref": source_ref})
    return incident
