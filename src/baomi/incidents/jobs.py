"""Scheduled incident checks (OPS-2, R-INC-1): the 24-hour clock.

``incidents.clock`` runs every five minutes: it raises the reminders that fall due
(``INCIDENT_REMINDER_HOURS`` after discovery, e.g. 12 h and 20 h) for incidents whose upward
reports are still missing, and records a missed deadline once. Idempotent per incident.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("incidents.clock", every=timedelta(minutes=5))
def clock(now: datetime) -> dict[str, Any]:
    from baomi.incidents.services import tick

    return tick(now)
