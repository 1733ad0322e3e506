"""The 24-hour clock of an incident (R-INC-1, R-INC-4): pure functions, no database.

A leak or possible leak of a state secret, a lost carrier and a network-data incident must be
reported within ``INCIDENT_REPORT_HOURS`` (24) of discovery to the same-level 保密行政管理部门
and to the superior department. The deadline is fixed when the incident is opened; the clock
runs until both reports are recorded. A report at the deadline to the second is on time; one
second later is late. Reminders fall at ``INCIDENT_REMINDER_HOURS`` after discovery.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from baomi.core.levels import STATE_SECRET_LEVELS
from baomi.incidents.choices import IncidentKind, Recipient

CLOCK_KINDS = frozenset({IncidentKind.LOST_CARRIER, IncidentKind.SUSPECTED_LEAK, IncidentKind.NETWORK_DATA})


def report_hours() -> int:
    return int(settings.INCIDENT_REPORT_HOURS)


def reminder_hours() -> list[int]:
    """The configured reminder points, in hours after discovery, before the deadline."""
    points = set()
    for part in str(settings.INCIDENT_REMINDER_HOURS).split(","):
        part = part.strip()
        if part.isdigit() and 0 < int(part) < report_hours():
            points.add(int(part))
    return sorted(points)


def requires_upward_report(kind: str, level: str) -> bool:
    """Whether the incident must be reported upward within the clock: a lost carrier, a
    (suspected) leak, a network-data incident (R-INC-1, R-INC-4), or anything that involves a
    state secret. Personal-information incidents have no hour limit (R-INC-3)."""
    return kind in CLOCK_KINDS or level in STATE_SECRET_LEVELS


def deadline_for(kind: str, level: str, discovered_at: datetime) -> datetime | None:
    if not requires_upward_report(kind, level):
        return None
    return discovered_at + timedelta(hours=report_hours())


@dataclass(frozen=True)
class Clock:
    """Where the clock of one incident stands at ``now``.

    ``state`` is ``none`` (no upward report required), ``running``, ``overdue`` (the deadline
    passed without both reports), ``met`` (both in time) or ``met_late``."""

    state: str
    deadline: datetime | None
    remaining: timedelta | None
    missing: tuple[str, ...]
    late: tuple[str, ...]

    @property
    def running(self) -> bool:
        return self.state in ("running", "overdue")

    @property
    def remaining_text(self) -> str:
        """``5小时12分`` — hours and minutes left (or past, for an overdue clock)."""
        if self.remaining is None:
            return ""
        seconds = abs(int(self.remaining.total_seconds()))
        return f"{seconds // 3600}小时{seconds % 3600 // 60:02d}分"


def clock(deadline: datetime | None, reports: Iterable[Any], now: datetime) -> Clock:
    """The clock for a deadline and the upward reports recorded (objects with ``recipient`` and
    ``reported_at``)."""
    if deadline is None:
        return Clock("none", None, None, (), ())
    done = {r.recipient: r.reported_at for r in reports}
    missing = tuple(r for r in Recipient.values if r not in done)
    late = tuple(r for r, at in done.items() if at > deadline)
    if not missing:
        return Clock("met_late" if late else "met", deadline, None, (), late)
    return Clock("overdue" if now > deadline else "running", deadline, deadline - now, missing, late)


def is_late(deadline: datetime | None, reported_at: datetime) -> bool:
    """A report is late one second after the deadline, not at it (R-INC-1: "within 24 hours")."""
    return deadline is not None and reported_at > deadline


def due_reminders(discovered_at: datetime, already: int, now: datetime) -> list[int]:
    """Reminder points (hours) reached by ``now`` and above the last one raised (``already``)."""
    return [h for h in reminder_hours() if h > already and now >= discovered_at + timedelta(hours=h)]
