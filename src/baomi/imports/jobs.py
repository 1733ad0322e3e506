"""Scheduled job of the imports: run the queued large imports (issue 19 §4, OPS-2)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.imports import services
from baomi.kit.jobs import job


@job("imports.run", every=timedelta(minutes=1))
def run(now: datetime) -> dict[str, Any]:
    """Import the ledgers queued by the upload page, oldest first (each claimed once)."""
    return {"runs": services.run_queued_imports()}
