"""The incidents app's receivers of other apps' signals (its ``signals`` part).

Carriers, personnel and devices sit below incidents and must not import it; their services
send ``baomi.kit.incidents.discovered`` when they find an incident, and this receiver opens it
in their transaction (SUP-2, CAR-8, PER-8, R-PER-9, SUP-6).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baomi.incidents import services
from baomi.incidents.models import Incident
from baomi.kit.incidents import discovered


@receiver(discovered, dispatch_uid="incidents.open_discovered")
def open_discovered(
    sender: Any, *, actor: Any, title: str, description: str, source: str, source_ref: str, level: str,
    kind: str, carrier: Any, lost: bool, **kwargs: Any,
) -> Incident:  # fmt: skip
    """Open the incident another app's service found (audits INCIDENT_OPENED) and link its
    carrier, if any; the sender has checked policy and stores the reply."""
    incident = services.open_incident(
        actor,
        title=title,
        description=description,
        source=source,
        source_ref=source_ref,
        level=level,
        kind=kind,
    )
    if carrier is not None:
        services.involve_link(actor, incident, carrier, lost=lost)
    return incident
