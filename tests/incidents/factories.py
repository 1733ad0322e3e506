"""Incidents in given states, built through the services (as in production)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from baomi.incidents import services


def ago(hours: float = 0, seconds: int = 0) -> datetime:
    return timezone.now().replace(microsecond=0) - timedelta(hours=hours, seconds=seconds)


def open_one(
    org: Any, *, kind: str = "suspected_leak", level: str = "", hours_ago: float = 1, **kw: Any
) -> Any:
    return services.open_incident(org.security_officer, title="疑似泄密", kind=kind, level=level,
                                  discovered_at=ago(hours_ago), **kw)  # fmt: skip


def concluded(org: Any, **kw: Any) -> Any:
    """An incident with both reports, a remedial action and a conclusion: ready to close."""
    officer = org.security_officer
    incident = open_one(org, **kw)
    services.record_action(officer, incident, text="立即收回相关载体，封存现场")
    for recipient in ("same_level", "superior"):
        services.report_upward(officer, incident, recipient=recipient, reported_at=ago(0.5), channel="phone",
                               reference=f"电话记录-{recipient}")  # fmt: skip
    return services.conclude_incident(
        officer, incident, review_result="not_leaked", conclusion="经核查未造成泄密"
    )


def local_input(dt: datetime) -> str:
    """A time as a ``datetime-local`` form field sends it (local time, to the minute)."""
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")
