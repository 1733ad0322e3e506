"""Scheduled jobs of the carrier registry: overdue-loan reminders once a day (CAR-6); folding
the kept count of carriers by cell every five minutes (OPS-1 speed, ``carriers/tally.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from baomi.carriers import services
from baomi.kit.jobs import job


@job("carriers.overdue_loans", every=timedelta(hours=24))
def remind_overdue_loans(now: datetime) -> dict[str, Any]:
    """Remind every overdue loan once per day (idempotent: a loan reminded today is skipped)."""
    return {"reminded": services.remind_overdue_loans(timezone.localdate(now))}


@job("carriers.compact_count", every=timedelta(minutes=5))
def compact_count(now: datetime) -> dict[str, Any]:
    """Fold the rows the triggers added since the last run into one per cell (idempotent)."""
    from baomi.carriers import tally

    return tally.compact()
