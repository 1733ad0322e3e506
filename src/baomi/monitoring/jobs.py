"""Scheduled job of the monitoring app: evaluate the audit stream every minute (SEC-5).

The job slot claim (kit/jobs.py) lets one server run a slot; the cursor's row lock makes a
second evaluator (the CLI, or a server whose clock is off by a slot) wait and then read on from
where the first stopped. An alert is raised at most one interval after its triggering entry.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job
from baomi.monitoring import services


@job("monitoring.evaluate", every=timedelta(minutes=1))
def evaluate(now: datetime) -> dict[str, Any]:
    return services.evaluate(now=now)
