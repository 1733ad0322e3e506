"""Working days and hours for the off-hours rule (SEC-5).

A day is a working day by, in this order:

1. the unit's own calendar kept by the security officer (``classification.CalendarDay``: a
   public holiday, or a make-up working day 调休) — the unit always has the last word;
2. the State Council's published holiday arrangement, from the maintained ``chinesecalendar``
   package (holidays and 调休 Saturdays and Sundays), for the years it covers;
3. otherwise Monday to Friday.

``BAOMI_MONITOR_CALENDAR`` chooses the base (``chinese``, the default, or ``weekdays``);
``BAOMI_MONITOR_WORKING_HOURS`` the hours of a working day (default ``08:00-18:00``, local
time, start included, end excluded). ``baomi monitoring seed-calendar --year Y`` copies a year's
published arrangement into the unit's calendar, where the officer can amend it and where the
classification deadlines (CLS-6) use it as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from baomi.classification import workdays
from baomi.classification.workdays import published_year

__all__ = ["WorkCalendar", "published_day", "published_year", "working_hours"]


def working_hours() -> tuple[time, time]:
    """The configured working hours as (start, end)."""
    text = getattr(settings, "MONITOR_WORKING_HOURS", "08:00-18:00")
    start, _sep, end = text.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def published_day(day: date) -> bool | None:
    """Whether ``day`` is a working day by the published arrangement; None outside the years
    the package covers (or when the base calendar is ``weekdays``)."""
    if getattr(settings, "MONITOR_CALENDAR", "chinese") != "chinese":
        return None
    return workdays.published_day(day)


@dataclass
class WorkCalendar:
    """Working-time decisions for a batch, with the unit's overrides loaded once."""

    overrides: dict[date, str] = field(default_factory=dict)
    hours: tuple[time, time] = field(default_factory=working_hours)
    _days: dict[date, bool] = field(default_factory=dict)
    _minutes: dict[int, bool] = field(default_factory=dict)

    load: bool = True  # read the unit's calendar from the database, a year at a time
    _years: set[int] = field(default_factory=set)

    def _override(self, day: date) -> str | None:
        if self.load and day.year not in self._years:
            from baomi.classification.models import CalendarDay

            self._years.add(day.year)
            self.overrides.update(CalendarDay.objects.filter(day__year=day.year).values_list("day", "kind"))
        return self.overrides.get(day)

    def is_working_day(self, day: date) -> bool:
        known = self._days.get(day)
        if known is not None:
            return known
        kind = self._override(day)
        if kind == "holiday":
            result = False
        elif kind == "workday":
            result = True
        else:
            published = published_day(day)
            result = published if published is not None else day.weekday() < 5
        self._days[day] = result
        return result

    def is_working_time(self, when: datetime) -> bool:
        minute = int(when.timestamp() // 60)  # entries come in time order: one decision a minute
        known = self._minutes.get(minute)
        if known is None:
            local = timezone.localtime(when)
            start, end = self.hours
            known = (
                self.is_working_day(local.date())
                and start <= local.time().replace(second=0, microsecond=0) < end
            )
            if len(self._minutes) > 100_000:
                self._minutes.clear()
            self._minutes[minute] = known
        return known
