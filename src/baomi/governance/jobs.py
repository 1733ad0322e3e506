"""Scheduled governance checks (OPS-2, SUP-9, SUP-10): drills and regulation reviews due are
reminded once per due date (the audit entry); the start page lists them live."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("governance.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.governance.services import raise_reminders

    return raise_reminders(now)
