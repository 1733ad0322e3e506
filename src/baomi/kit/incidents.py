"""The seam through which a registry app opens an incident without importing the incidents app.

The registry apps (carriers, personnel, devices) sit below the supervision app ``incidents``,
which names the carriers and sanctions an incident involves; so they must not import it
(``lint-imports``: no import circles). When one of their services finds an incident — a
carrier missing or an inventory discrepancy (CAR-8), a lost device (SUP-6), a violation
report taken up (PER-8), a separation-period breach (R-PER-9) — it calls
:func:`open_incident` here, inside its own ``@service`` transaction. That sends
:data:`discovered`; the incidents app's receiver (``baomi.incidents.signals``, its
``signals`` part) opens the incident through ``incidents.services.open_incident`` (and links
the carrier, if one is given), auditing INCIDENT_OPENED, and replies with the incident. The
sender stores the reply on its own record (``InventoryEntry.incident``, ``Device.incident``,
``ViolationReport.incident`` — foreign keys named by string, ``"incidents.Incident"``).

Everything runs in the sender's transaction: if opening the incident fails, the sender's
change rolls back with it, exactly as when the service was called directly.

An incident is a duty, not an option (SUP-2): with no receiver installed — or more than one —
:func:`open_incident` refuses rather than carrying on without one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import Signal

#: ``send(sender=<the sender's model>, actor=, title=, description=, source=, source_ref=,
#: level=, kind=, carrier=, lost=)`` — the arguments of ``incidents.services.open_incident``,
#: plus the carrier involved (or ``None``) and whether it is lost. The one receiver answers
#: the opened ``incidents.Incident``.
discovered = Signal()


def open_incident(
    actor: Any,
    *,
    sender: Any,
    title: str,
    description: str = "",
    source: str = "",
    source_ref: str = "",
    level: str = "",
    kind: str = "other",
    carrier: Any = None,
    lost: bool = False,
) -> Any:
    """Open an incident found by ``sender``'s service, in its transaction, and return it.

    The caller has passed its own policy check (as ``incidents.services.open_incident``
    expects). ``kind`` is an ``incidents.choices.IncidentKind`` value (``"lost_carrier"``,
    ``"suspected_leak"``, ``"other"`` ...); a ``carrier`` is linked to the incident, as lost
    when ``lost``."""
    replies = discovered.send(
        sender=sender, actor=actor, title=title, description=description, source=source, source_ref=source_ref,
        level=level, kind=kind, carrier=carrier, lost=lost,
    )  # fmt: skip
    opened = [incident for _receiver, incident in replies if incident is not None]
    if len(opened) != 1:
        raise ImproperlyConfigured(
            f"{len(opened)} incidents opened for one discovery: exactly one installed app must receive "
            "baomi.kit.incidents.discovered (baomi.incidents)."
        )
    return opened[0]
