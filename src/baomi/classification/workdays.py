"""Working days for the CLS-6 deadlines (R-DET-10): weekends and listed public holidays are not
working days; listed make-up working days (调休) on a weekend are. The unit's list
(``CalendarDay``) is seeded from the State Council's published arrangement — the maintained
``chinesecalendar`` package (:func:`published_year`, the ``seed_calendar`` service) — and the
security officer's own entries override it and survive every re-seeding (issue 12 §4).

A year whose arrangement is in neither (the package does not cover it yet and nobody entered
its holidays) counts Monday to Friday: :func:`covered` tells, and the deadline screens and the
dashboard warn about deadlines that fall in such a year (:func:`uncovered_years`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from baomi.classification.choices import CalendarDayKind, CalendarSource
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


# The package's English holiday names, in the official Chinese.
_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
}  # fmt: skip


def published_covers(year: int) -> bool:
    """Whether the ``chinesecalendar`` package holds the published arrangement of ``year``."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:  # a year not yet published
        return False
    return True


def published_day(day: date) -> bool | None:
    """Whether ``day`` is a working day by the published arrangement; None outside the years the
    package covers."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def published_year(year: int) -> list[tuple[date, str, str]]:
    """The published holidays and make-up working days of ``year`` as (day, kind, name), kind
    ``holiday`` or ``workday``; empty when the package does not cover the year."""
    import chinese_calendar

    out: list[tuple[date, str, str]] = []
    if not published_covers(year):
        return out
    day = date(year, 1, 1)
    while day.year == year:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        weekend = day.weekday() >= 5
        if name and is_holiday:
            out.append((day, CalendarDayKind.HOLIDAY.value, _NAMES.get(name, name)))
        elif name and not is_holiday and weekend:
            out.append((day, CalendarDayKind.WORKDAY.value, _NAMES.get(name, name) + "调休"))
        day += timedelta(days=1)
    return out


def covered(year: int) -> bool:
    """Whether the unit's calendar holds ``year``'s holidays (seeded or entered by the officer);
    when not, that year's deadlines count Monday to Friday and are warned about."""
    return CalendarDay.objects.filter(day__year=year, kind=CalendarDayKind.HOLIDAY).exists()


def seeded(year: int) -> bool:
    """Whether ``year``'s published arrangement has been copied into the unit's calendar."""
    return CalendarDay.objects.filter(day__year=year, source=CalendarSource.PUBLISHED).exists()


def uncovered_years(days: Iterable[date | None]) -> list[int]:
    """The years among ``days`` (None ignored) that the unit's calendar does not cover, sorted."""
    years = {d.year for d in days if d is not None}
    if not years:
        return []
    known = set(
        CalendarDay.objects.filter(day__year__in=years, kind=CalendarDayKind.HOLIDAY)
        .values_list("day__year", flat=True)
        .distinct()
    )
    return sorted(years - known)


def count_uncovered(days: Iterable[date | None]) -> dict[int, int]:
    """How many of ``days`` fall in each year the unit's calendar does not cover."""
    listed = [d for d in days if d is not None]
    missing = set(uncovered_years(listed))
    out: dict[int, int] = {}
    for d in listed:
        if d.year in missing:
            out[d.year] = out.get(d.year, 0) + 1
    return dict(sorted(out.items()))
