"""Scheduled reminders of the secret meetings register (OPS-2, R-SITE-2): carriers not
recovered after a meeting."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("meetings.reminders", every=timedelta(hours=6))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.meetings.services import raise_reminders

    return raise_reminders(now)
