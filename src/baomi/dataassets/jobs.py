"""Scheduled reminders of the data assets register (OPS-2, R-DATA-4)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("dataassets.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.dataassets.services import raise_reminders

    return raise_reminders(now)
