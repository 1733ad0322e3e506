"""Scheduled reminders of the media and devices register (OPS-2, SUP-6): periodic checks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("devices.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.devices.services import raise_reminders

    return raise_reminders(now)
