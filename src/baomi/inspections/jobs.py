"""Scheduled inspection work (OPS-2, SUP-1): idempotent, once per slot.

``inspections.plans`` opens the runs of every plan that falls due within
``INSPECTION_OPEN_DAYS`` and moves the plan to its next cycle. ``inspections.reminders`` raises
one audited reminder per open run and per rectification task due within
``INSPECTION_REMINDER_DAYS`` (or overdue), once a day; the to-do itself is the dashboard.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("inspections.plans", every=timedelta(hours=6))
def plans(now: datetime) -> dict[str, Any]:
    from baomi.inspections.services import open_due_runs

    return open_due_runs(now)


@job("inspections.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    from baomi.inspections.services import raise_reminders

    return raise_reminders(now)
