"""Scheduled personnel checks (OPS-2, PER-3, PER-5): idempotent, once per slot.

``personnel.checks`` lowers the clearance of anyone whose pledge has lapsed and releases
persons whose separation period has ended. ``personnel.reminders`` audits one reminder per
person and due date (renewals, re-reviews, separation ends, post-trip reports) — the in-app
reminder itself is the dashboard task list, computed live.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job
from baomi.personnel.services import raise_reminders, run_checks


@job("personnel.checks", every=timedelta(hours=1))
def checks(now: datetime) -> dict[str, Any]:
    return run_checks(now)


@job("personnel.reminders", every=timedelta(days=1))
def reminders(now: datetime) -> dict[str, Any]:
    return raise_reminders(now)
