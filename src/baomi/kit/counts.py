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

Nothing about who sees what changes here: the querysets arrive already filtered by the policy;
this only changes how many statements carry them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


class Deferred:
    """A count — of one queryset, or the sum of several — that :meth:`Batch.settle` reads with
    the others of its batch. ``int()`` of it (or a comparison) before then settles the batch."""

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

    def settle(self) -> None:
        """Read every pending count of the batch: the querysets :func:`_sql` can write as a
        subquery in one statement per database, any other (sliced, combined) by itself."""
        pending, self.pending = self.pending, []
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
        for alias, rows in together.items():
            # The SQL is Django's own, compiled from each queryset; every value is a parameter.
            columns = ", ".join(
                f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})"  # noqa: S608
                for i, (_d, sql, _p) in enumerate(rows)
            )
            params = [value for _d, _s, p in rows for value in p]
            with connections[alias].cursor() as cursor:
                cursor.execute(f"SELECT {columns}", params)
                values = cursor.fetchone()
            for (deferred, _s, _p), value in zip(rows, values, strict=True):
                deferred.value = (deferred.value or 0) + int(value)


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
