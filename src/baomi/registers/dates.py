"""Date arithmetic of the registers' cadences (R-SYS-3, R-DATA-4, SUP-5/6, SUP-13)."""

from __future__ import annotations

from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists
