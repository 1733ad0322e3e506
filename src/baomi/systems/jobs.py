"""Scheduled reminders of the information systems register (OPS-2, R-SYS-3)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("systems.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.systems.services import raise_reminders

    return raise_reminders(now)
