"""Scheduled check of the visitors register (OPS-2, SUP-4): visitors still on site after
closing time, audited once a day each (the start page lists them live)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.kit.jobs import job


@job("visitors.closing", every=timedelta(hours=1))
def closing(now: datetime) -> dict[str, Any]:
    from baomi.visitors.services import raise_closing_alerts

    return raise_closing_alerts(now)
