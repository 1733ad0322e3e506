"""Scheduled jobs of the carrier registry (CAR-6): overdue-loan reminders, once a day."""

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
