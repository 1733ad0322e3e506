"""Working days for the CLS-6 deadlines (R-DET-10): weekends and listed public holidays are not
working days; listed make-up working days (调休) on a weekend are. The security officer keeps the
list (``CalendarDay``)."""

from __future__ import annotations

from datetime import date, timedelta

from baomi.classification.choices import CalendarDayKind
from baomi.classification.models import CalendarDay


def _overrides(start: date, end: date) -> dict[date, str]:
    rows = CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "kind")
    return dict(rows)


def is_working_day(day: date, overrides: dict[date, str] | None = None) -> bool:
    kinds = overrides if overrides is not None else _overrides(day, day)
    kind = kinds.get(day)
    if kind == CalendarDayKind.HOLIDAY:
        return False
    if kind == CalendarDayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (the start day itself is not counted)."""
    # Holidays are at most a few weeks long: look ahead generously once, then count.
    kinds = _overrides(start, start + timedelta(days=n * 3 + 40))
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, kinds):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before)."""
    if end < start:
        return -working_days_between(end, start)
    kinds = _overrides(start, end)
    return sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i), kinds)
    )
