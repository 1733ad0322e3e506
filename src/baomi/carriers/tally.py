"""Carriers counted by department × level × status, kept by the database (OPS-1 speed).

The dashboards and the statistics count the registry by department, level and status. For a
reader who sees every carrier of the levels they are cleared for — the security office
(CAR-12) — that count was one pass over the whole registry: 230–430 ms at a million carriers,
on every first view after a change. Here the database keeps it instead:

- triggers on ``carriers_carrier`` (migration ``carriers/0014_carrier_count``, SQLite and
  PostgreSQL) add a row ``(department, level, status, +1)`` for every carrier inserted, and
  ``-1`` for the old cell and ``+1`` for the new one whenever an update moves a carrier's
  department, level or status (``-1`` for a deleted one). Every writer is covered — services,
  imports, a raw ``UPDATE`` — in the writer's own transaction, so the rows commit or roll back
  with the change that caused them;
- rows are only ever *added* by writers, never updated, so concurrent registrars never wait for
  one another on a shared counter row;
- :func:`counts` sums the rows in one statement: the count of the committed registry as of that
  statement, the same snapshot a ``COUNT(*)`` would read;
- :func:`compact` (the ``carriers.compact_count`` job, every 5 minutes) folds the cells that
  gained rows into one row each, in one transaction, so the table holds about one row per cell
  plus the changes of the last minutes (a few thousand rows at a million carriers, not a
  million).

Which cells a reader sees whole is the policy's to say (``carriers.rules.visible_cells``): every
cell for the security office, their departments' cells for a department head; the carriers
anyone sees outside those cells (their scope, their custody) are counted from the registry.

Registrations are kept the same way by the day they happened (``RegistrationCount``, migration
``carriers/0016_registration_count``): ``(UTC day, level, ±1)`` per carrier inserted, deleted,
or moved to another level. :func:`registered` answers "how many carriers of these levels were
registered between two instants" for the security office's flows per month: the whole UTC
days in between from the kept rows, the hours at either end from the registry's index on
``registered_at`` — so no time zone is written into the database and any local month is exact.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction

from baomi.carriers.models import Carrier, CarrierCount, RegistrationCount
from baomi.core.levels import Level

TABLE = CarrierCount._meta.db_table
REGISTERED = RegistrationCount._meta.db_table


COLUMNS = {"department": "department_id", "level": "level", "status": "status"}


def counts(
    levels: list[str],
    by: tuple[str, ...] = ("department", "level", "status"),
    departments: list[int] | None = None,
) -> dict[tuple[Any, ...], int]:
    """Every carrier of ``levels`` (in ``departments``; None: in every department) counted by
    the columns ``by`` (of department, level and status, in that order of the key), groups with
    none left out. Grouped in the database: the security office's level table and department
    ranking each read their own few rows instead of folding ten thousands of cells in Python."""
    if not levels or departments == []:
        return {}
    columns = ", ".join(COLUMNS[name] for name in by)  # a KeyError for any other name
    tests, params = [], list[Any]()
    if not set(levels) >= set(Level.values):  # every level: no test on each of the 17,000 rows (2 ms)
        tests.append(f"level IN ({', '.join(['%s'] * len(levels))})")
        params += list(levels)
    if departments is not None:
        tests.append(f"department_id IN ({', '.join(['%s'] * len(departments))})")
        params += list(departments)
    where = f" WHERE {' AND '.join(tests)}" if tests else ""
    # Column and table names come from this module and the model's metadata; values are parameters.
    sql = (f"SELECT {columns}, SUM(n) FROM {TABLE}{where} "  # noqa: S608
           f"GROUP BY {columns} HAVING SUM(n) <> 0")  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {tuple(row[:-1]): int(row[-1]) for row in cur.fetchall()}


def registered(levels: list[str], ranges: list[tuple[datetime, datetime]]) -> list[int]:
    """How many carriers of ``levels`` were registered in each ``[start, end)`` of ``ranges``
    (aware instants), in one statement: the UTC days wholly inside each range summed from the
    kept rows, the part-days at its ends counted from the registry (for a month in China
    Standard Time, the eight hours before its first UTC midnight and the sixteen after its
    last). The kept rows are read in one pass, each range's days a bucket of it (twelve
    subqueries of their own took longer to plan than to run); each part-day is an index range
    of its own. Every level allowed: no test on the level, the registry's counts read the index
    alone."""
    if not levels or not ranges:
        return [0] * len(ranges)
    every = set(levels) >= set(Level.values)
    marks = ", ".join(["%s"] * len(levels))
    ops = connection.ops
    days: list[tuple[int, date, date]] = []  # (range, first, last): whole UTC days [first, last)
    hours: list[tuple[int, datetime, datetime]] = []  # (range, start, end): from the registry

    for k, (start, end) in enumerate(ranges):
        first, last = _whole_days(start, end)
        if first >= last:  # no whole UTC day inside: the registry alone
            hours.append((k, start, end))
            continue
        days.append((k, first, last))
        if start < _midnight(first):
            hours.append((k, start, _midnight(first)))
        if _midnight(last) < end:
            hours.append((k, _midnight(last), end))

    level_test = "" if every else f" AND level IN ({marks})"
    level_params = [] if every else list(levels)
    columns: list[str] = []
    params: list[Any] = []
    source = ""
    if days:
        day = ops.adapt_datefield_value
        buckets = ", ".join(
            f"SUM(CASE WHEN day >= %s AND day < %s THEN n ELSE 0 END) AS d{i}" for i in range(len(days))
        )
        columns += [f"kept.d{i}" for i in range(len(days))]
        # Table and column names come from the models' metadata; values are parameters.
        source = f" FROM (SELECT {buckets} FROM {REGISTERED} WHERE day >= %s AND day < %s{level_test}) kept"  # noqa: S608
    at, table = connection.ops.quote_name("registered_at"), Carrier._meta.db_table
    instant = ops.adapt_datetimefield_value
    # Each part-day its own count: an index range, read without the table.
    columns += [f"(SELECT COUNT(*) FROM {table} WHERE {at} >= %s AND {at} < %s{level_test})"] * len(hours)  # noqa: S608
    params += [v for _k, lo, hi in hours for v in (instant(lo), instant(hi), *level_params)]
    if days:  # the source's parameters follow the columns'
        params += [v for _k, lo, hi in days for v in (day(lo), day(hi))]
        params += [day(min(lo for _k, lo, _hi in days)), day(max(hi for _k, _lo, hi in days)), *level_params]
    with connection.cursor() as cur:
        cur.execute(f"SELECT {', '.join(columns)}{source}", params)
        got = cur.fetchone()
    totals = [0] * len(ranges)
    for (k, *_span), n in zip([*days, *hours], got, strict=True):
        totals[k] += int(n or 0)
    return totals


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _whole_days(start: datetime, end: datetime) -> tuple[date, date]:
    """The UTC days ``[first, last)`` lying wholly within ``[start, end)``."""
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    first = lo.date() if lo.time() == time.min else lo.date() + timedelta(days=1)
    return first, hi.date()


def compact() -> dict[str, int]:
    """Fold the cells that hold more than one row into one row each (or none, when they sum to
    zero), in both kept counts; return how many rows went and came. A cell already folded is
    not rewritten, so a run with nothing new writes nothing.

    One transaction per count whose first statement deletes (and returns) the rows it folds,
    chosen in that same statement, so it holds the write lock from the start on SQLite; on
    PostgreSQL a writer's row not yet committed is not seen, so it is neither deleted nor summed
    and stays for the next run. A reader sees the rows before or after, never half: the sums are
    the same either way."""
    gone, kept = _fold(TABLE, ("department_id", "level", "status"))
    days_gone, days_kept = _fold(REGISTERED, ("day", "level"))
    return {"rows_folded": gone, "rows_written": kept, "registration_rows_folded": days_gone,
            "registration_rows_written": days_kept}  # fmt: skip


def _fold(table: str, columns: tuple[str, ...]) -> tuple[int, int]:
    cell = ", ".join(columns)
    # The table and column names come from this module and the models' metadata; no value from input.
    fold = (f"DELETE FROM {table} WHERE ({cell}) IN (SELECT {cell} FROM {table} GROUP BY {cell} "  # noqa: S608
            f"HAVING COUNT(*) > 1) RETURNING {cell}, n")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(fold)
        gone = cur.fetchall()
        sums: dict[tuple[Any, ...], int] = defaultdict(int)
        for *key, n in gone:
            sums[tuple(key)] += n
        kept = [(*key, n) for key, n in sums.items() if n]
        if kept:
            marks = ", ".join(["%s"] * (len(columns) + 1))
            cur.executemany(f"INSERT INTO {table} ({cell}, n) VALUES ({marks})", kept)  # noqa: S608
    return len(gone), len(kept)
