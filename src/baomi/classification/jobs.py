"""Scheduled jobs of the classification app (CLS-9, R-DECL-2, R-DECL-4, OPS-2).

Both are idempotent and safe with several servers: the scheduler's slot row runs each job once
per slot, and inside, each item is locked with ``skip_locked`` and its state checked again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from baomi.classification import services, workdays
from baomi.kit.jobs import job


@job("classification.expire", every=timedelta(hours=1))
def expire(now: datetime) -> dict[str, Any]:
    """Declassify items whose period or date has ended (R-DECL-2)."""
    done = services.expire_items(timezone.localdate(now))
    return {"declassified": len(done)}


@job("classification.remind", every=timedelta(hours=6))
def remind(now: datetime) -> dict[str, Any]:
    """Remind ahead of expiry with the configured lead time (R-DECL-4)."""
    sent = services.send_expiry_reminders(timezone.localdate(now))
    return {"reminded": len(sent)}


@job("classification.seed_calendar", every=timedelta(days=1))
def seed_calendar(now: datetime) -> dict[str, Any]:
    """Seed this year's and next year's working-day calendar from the published arrangement as
    soon as the installed ``chinesecalendar`` covers them (CLS-6, issue 12 §4); a year already
    seeded is left alone (the officer reseeds by hand after updating the package)."""
    year = timezone.localdate(now).year
    seeded = [y for y in (year, year + 1) if workdays.published_covers(y) and not workdays.seeded(y)]
    for y in seeded:
        services.seed_calendar(None, y)
    return {"seeded": seeded}
