"""Scheduled reminders of the key places register (OPS-2, SUP-5): idempotent, once per slot."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("sites.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.sites.services import raise_reminders

    return raise_reminders(now)
