"""Scheduled publication checks (OPS-2, R-PUB-2, R-PUB-3): deadlines due or passed and withheld
information due for re-assessment are reminded once per due date (the audit entry), and the
start page lists them live."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("publication.reminders", every=timedelta(hours=6))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.publication.services import raise_reminders

    return raise_reminders(now)
