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
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection, transaction

from baomi.carriers.models import CarrierCount

TABLE = CarrierCount._meta.db_table


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
    marks = ", ".join(["%s"] * len(levels))
    where, params = f"level IN ({marks})", list[Any](levels)
    if departments is not None:
        where += f" AND department_id IN ({', '.join(['%s'] * len(departments))})"
        params += list(departments)
    # Column and table names come from this module and the model's metadata; values are parameters.
    sql = (f"SELECT {columns}, SUM(n) FROM {TABLE} WHERE {where} "  # noqa: S608
           f"GROUP BY {columns} HAVING SUM(n) <> 0")  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {tuple(row[:-1]): int(row[-1]) for row in cur.fetchall()}


def compact() -> dict[str, int]:
    """Fold the cells that hold more than one row into one row each (or none, when they sum to
    zero); return how many rows went and came. A cell already folded is not rewritten, so a run
    with nothing new writes nothing.

    One transaction whose first statement deletes (and returns) the rows it folds, chosen in that
    same statement, so it holds the write lock from the start on SQLite; on PostgreSQL a writer's
    row not yet committed is not seen, so it is neither deleted nor summed and stays for the next
    run. A reader sees the rows before or after, never half: the sums are the same either way."""
    cell = "department_id, level, status"
    # The table name comes from the model's metadata; no value from input.
    fold = (f"DELETE FROM {TABLE} WHERE ({cell}) IN (SELECT {cell} FROM {TABLE} GROUP BY {cell} "  # noqa: S608
            f"HAVING COUNT(*) > 1) RETURNING {cell}, n")  # fmt: skip
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(fold)
        gone = cur.fetchall()
        sums: dict[tuple[int, str, str], int] = defaultdict(int)
        for department, level, status, n in gone:
            sums[(department, level, status)] += n
        kept = [(d, lv, st, n) for (d, lv, st), n in sums.items() if n]
        if kept:
            cur.executemany(
                f"INSERT INTO {TABLE} (department_id, level, status, n) VALUES (%s, %s, %s, %s)",  # noqa: S608
                kept,
            )
    return {"rows_folded": len(gone), "rows_written": len(kept)}
