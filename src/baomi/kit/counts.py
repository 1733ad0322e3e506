"""Counts read together in one statement (OPS-1 speed).

The start page shows some forty to-do counts, each a ``COUNT(*)`` of its own policy-filtered
queryset. Sent one by one, each costs a round trip to the database and back, and on a busy
two-CPU server each of those waits for the scheduler twice: forty of them were a third of the
page. Inside :func:`batch`, :func:`of` does not count yet: it keeps the queryset and gives back
a :class:`Deferred`; :meth:`Batch.settle` then reads every kept count in **one** statement —
``SELECT (SELECT COUNT(*) FROM (<query 1>)), (SELECT COUNT(*) FROM (<query 2>)), ...`` — each
subquery exactly the SQL the queryset would run, so the numbers are those ``.count()`` gives.
Outside a batch, :func:`of` is ``.count()``: an app's ``dashboard.tasks`` called on its own (its
tests, the API) still returns plain numbers.

A panel's figures of one set — open incidents, how many with a running clock, how many overdue —
are one aggregate (``COUNT(...) FILTER (WHERE ...)``). :func:`aggregate` is ``.aggregate()`` for
those: inside a batch its row joins the same statement, as a derived table of one row beside the
counts — ``SELECT (SELECT COUNT(*) ...), ..., f0."open", f0."running" FROM (<aggregate 1>) f0
CROSS JOIN (<aggregate 2>) f1`` (an aggregate without GROUP BY is always exactly one row).
:func:`then` runs a callback once a count is read (``audit.cache.cached_count`` stores it).

Nothing about who sees what changes here: the querysets arrive already filtered by the policy;
this only changes how many statements carry them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, IntegerField, QuerySet, Sum, Value


class Deferred:
    """A count — of one queryset, or the sum of several — or one figure of an aggregate row
    (:func:`aggregate`, :func:`row`) that :meth:`Batch.settle` reads with the others of its
    batch. ``int()`` of it (or a comparison) before then settles the batch."""

    __slots__ = ("_batch", "querysets", "value")

    def __init__(self, batch: Batch, querysets: list[QuerySet[Any]]) -> None:
        self._batch, self.querysets = batch, querysets
        self.value: int | None = None

    def __int__(self) -> int:
        if self.value is None:
            self._batch.settle()
        return int(self.value or 0)

    __index__ = __int__

    def __bool__(self) -> bool:
        return int(self) != 0

    def __eq__(self, other: object) -> bool:
        return int(self) == other

    def __hash__(self) -> int:
        return hash(int(self))

    def __repr__(self) -> str:
        return f"<Deferred count {self.value if self.value is not None else '…'}>"

    def __reduce__(self) -> Any:
        # Pickled into a cache it would take its querysets along, and pickling a queryset reads
        # its rows: what is cached is the number (``settled``), never the promise of one.
        raise TypeError("a deferred count is not cached or pickled; cache int(count)")


class Batch:
    def __init__(self) -> None:
        self.pending: list[Deferred] = []
        #: Rows of figures waiting: (database, SELECT of one row, its parameters, its columns'
        #: names, a figure for each).
        self.rows: list[tuple[str, str, list[Any], list[str], list[Deferred]]] = []
        self.callbacks: list[tuple[Deferred, Callable[[int], None]]] = []

    def settle(self) -> None:
        """Read every pending count and aggregate row of the batch in one statement per
        database (a count :func:`_sql` cannot write as a subquery — sliced, combined — is read
        by itself), then run the callbacks of the counts read (:func:`then`)."""
        pending, self.pending = self.pending, []
        rows, self.rows = self.rows, []
        callbacks, self.callbacks = self.callbacks, []
        together: dict[str, list[tuple[Deferred, str, list[Any]]]] = {}
        for deferred in pending:
            deferred.value = 0
            for qs in deferred.querysets:
                if qs.query.is_empty():
                    continue
                try:
                    compiled = _sql(qs)
                except EmptyResultSet:  # a condition that can match nothing
                    continue
                if compiled is None:
                    deferred.value += qs.count()
                else:
                    together.setdefault(qs.db, []).append((deferred, *compiled))
        tables: dict[str, list[tuple[str, list[Any], list[str], list[Deferred]]]] = {}
        for alias, sql, params, names, figures in rows:
            tables.setdefault(alias, []).append((sql, params, names, figures))
        for alias in {*together, *tables}:
            _read(alias, together.get(alias, []), tables.get(alias, []))
        for deferred, callback in callbacks:
            callback(int(deferred))


def _read(alias: str, scalars: list[tuple[Deferred, str, list[Any]]],
          tables: list[tuple[str, list[Any], list[str], list[Deferred]]]) -> None:  # fmt: skip
    """One statement: each count a scalar subquery, each row of figures a derived table of one
    row, cross-joined. The SQL is our own or Django's, compiled from each queryset; every value
    is a parameter; the column names are our code's, quoted."""
    quote = connections[alias].ops.quote_name
    columns = [f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})" for i, (_d, sql, _p) in enumerate(scalars)]  # noqa: S608
    columns += [
        f"figures_{i}.{quote(name)}" for i, (_s, _p, names, _d) in enumerate(tables) for name in names
    ]
    joined = " CROSS JOIN ".join(f"({sql}) AS figures_{i}" for i, (sql, _p, _n, _d) in enumerate(tables))
    params = [v for _d, _s, p in scalars for v in p] + [v for _s, p, _n, _d in tables for v in p]
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}" + (f" FROM {joined}" if joined else ""), params)  # noqa: S608
        values = iter(cursor.fetchone())
    for deferred, _s, _p in scalars:
        deferred.value = (deferred.value or 0) + int(next(values))
    for _s, _p, _n, figures in tables:
        for deferred in figures:
            deferred.value = int(next(values) or 0)


_batch: ContextVar[Batch | None] = ContextVar("baomi_count_batch", default=None)


def _sql(qs: QuerySet[Any]) -> tuple[str, list[Any]] | None:
    """The SELECT whose rows ``qs.count()`` counts, or None when it has to be counted by itself.
    A model queryset selects only its key (cheaper to compile; with DISTINCT, distinct keys are
    distinct rows); one that already selects values or annotations keeps its columns, which
    decide what is distinct."""
    query = qs.query
    if query.is_sliced or query.combinator or query.distinct_fields:
        return None
    plain = not query.values_select and not query.annotations
    inner = qs.order_by().values("pk") if plain else qs.order_by()
    sql, params = inner.query.get_compiler(using=qs.db).as_sql()
    return sql, list(params)


def of(*querysets: QuerySet[Any]) -> int | Deferred:
    """``queryset.count()`` (of several: their sum) — read later with the rest of the batch when
    inside :func:`batch`."""
    current = _batch.get()
    if current is None:
        return sum(qs.count() for qs in querysets if not qs.query.is_empty())
    deferred = Deferred(current, list(querysets))
    current.pending.append(deferred)
    return deferred


def aggregate(qs: QuerySet[Any], **figures: Count | Sum) -> dict[str, Any]:
    """``qs.aggregate(**figures)`` for integer figures (counts and sums; a sum over no rows is
    0, not None) — read later with the rest of the batch when inside :func:`batch`. A queryset
    that already aggregates, annotates, selects values or is distinct, sliced or combined is
    aggregated at once, as Django would."""
    for name, expr in figures.items():
        if not isinstance(expr, Count | Sum):
            raise TypeError(f"{name}: only counts and sums are read together")
    query = qs.query
    if query.is_empty():
        return dict.fromkeys(figures, 0)
    if (_batch.get() is None or query.annotations or query.values_select or query.distinct or query.is_sliced
            or query.combinator):  # fmt: skip
        return {name: int(value or 0) for name, value in qs.aggregate(**figures).items()}
    # Grouped by a constant, which Django leaves out of GROUP BY: the query is the aggregate's
    # one row, its columns the figures by name.
    one = (
        qs.order_by()
        .annotate(_row=Value(1, IntegerField()))
        .values("_row")
        .annotate(**figures)
        .values(*figures)
    )
    try:
        sql, params = one.query.get_compiler(using=qs.db).as_sql()
    except EmptyResultSet:  # nothing can match: every figure is 0
        return dict.fromkeys(figures, 0)
    return dict(zip(figures, row(qs.db, sql, list(params), list(figures)), strict=True))


def row(alias: str, sql: str, params: list[Any], columns: list[str]) -> list[Any]:
    """The integer ``columns`` of ``sql``, a SELECT that returns exactly one row (an aggregate
    without GROUP BY) — read later with the rest of the batch when inside :func:`batch`. A
    NULL (a sum over no rows) reads 0."""
    current = _batch.get()
    if current is None:
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return [int(v or 0) for v in cursor.fetchone()]
    figures = [Deferred(current, []) for _c in columns]
    current.rows.append((alias, sql, params, columns, figures))
    return figures


def then(count: int | Deferred, callback: Callable[[int], None]) -> int | Deferred:
    """Call ``callback`` with the number once ``count`` is read (now, if it is a number)."""
    if isinstance(count, Deferred) and count.value is None:
        count._batch.callbacks.append((count, callback))
    else:
        callback(int(count))
    return count


@contextmanager
def batch() -> Iterator[Batch]:
    """Counts taken with :func:`of` inside the block wait for :meth:`Batch.settle` (or the first
    ``int()`` of one of them), which reads them all in one statement. A block inside another
    joins the outer batch."""
    outer = _batch.get()
    if outer is not None:
        yield outer
        return
    current = Batch()
    token = _batch.set(current)
    try:
        yield current
        current.settle()  # nothing left pending: a Deferred kept past the block still answers
    finally:
        _batch.reset(token)


def settled(value: Any) -> Any:
    """``value`` with a :class:`Deferred` replaced by its number."""
    return int(value) if isinstance(value, Deferred) else value
