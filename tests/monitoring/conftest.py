"""Fixtures of the monitoring tests: a fixed clock the audit trail writes with (SEC-5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    """A fixed clock: ``timezone.now()`` returns ``now`` until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def at(text: str) -> datetime:
    """A local (Asia/Shanghai) time from ``"2026-10-10 09:30"``."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Every ``django.utils.timezone.now()`` — the audit trail's timestamps included — reads this
    clock; a Tuesday working morning unless the test sets another time."""
    from django.utils import timezone

    c = Clock(at("2026-11-17 10:00"))
    monkeypatch.setattr(timezone, "now", c)
    yield c
