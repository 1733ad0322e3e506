"""Scheduled reminders of the contractors register (OPS-2, SUP-13): qualification expiry."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("contractors.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.contractors.services import raise_reminders

    return raise_reminders(now)
