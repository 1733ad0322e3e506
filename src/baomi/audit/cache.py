"""Cached figures that can never be stale (OPS-1 speed).

Every change to a record the figures count is made by a service that writes its audit entry in
the same transaction (ARCHITECTURE rule 2). So the number of committed audit entries that record
a *change* — the sealer's running count (``SealedChanges``) plus the changes still waiting in its
queue — moves with every committed change, and figures cached under that number are the figures
of the data as it stands. Reads, views, logins and refusals (``baomi.audit.events.READS``, and
every ``denied`` entry) change nothing counted and do not move it: an office where people read
all day keeps its figures cached until somebody changes something.

The position is read in **one statement** (a single snapshot: an entry moving from the queue into
the chain between two reads would be counted in neither, and an older key would come back), and
*before* the figures are computed, so a change that commits in between can only make the cached
value newer than its key, never older. The count never goes down (the trail is append-only), so a
key is never reused for other data. It costs three index lookups and an index range over the
trail's entries that the sealer has not taken yet.

Figures about the trail itself (the auditor's entries per day, sealer lag) move with every entry:
they are keyed by :func:`audit_position`, which counts every committed entry. Keys also carry who
the figures are for (their policy scope, ``access.policy.scope_key``), so one reader never gets
another's numbers. The ledger caches its estimated totals the same way (carriers/ledger.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models import QuerySet

from baomi.audit.events import read_events
from baomi.audit.models import AuditEntry, AuditPending, AuditSeal, AuditVerification, Outcome, SealedChanges
from baomi.kit import counts

T = TypeVar("T")
TTL = 15 * 60

#: The positions read by the ``cached`` calls that are computing right now, by kind: a figure
#: cached inside another's computation (the home page's panels, each with its own table) is
#: keyed by the position its caller read — read before either was computed, so still never
#: older than the data (the module's docstring) — instead of reading it again.
_reading: ContextVar[dict[str, str] | None] = ContextVar("baomi_cache_reading", default=None)


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {name: q(model._meta.db_table) for name, model in (
        ("entry", AuditEntry), ("pending", AuditPending), ("seal", AuditSeal), ("verification", AuditVerification),
        ("changes", SealedChanges))}  # fmt: skip


def _one_row(sql: str, params: list[Any]) -> tuple[Any, ...]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return tuple(cur.fetchone())


def audit_position() -> str:
    """How many audit entries have committed — it changes with every committed entry — and the
    newest chain verification record (an intact scheduled verify writes that record but no
    entry of its own)."""
    t = _tables()
    # Table names come from the models' metadata, never from input.
    sql = (f"SELECT (SELECT seq FROM {t['seal']} ORDER BY seq DESC LIMIT 1), "  # noqa: S608
           f"(SELECT COUNT(*) FROM {t['pending']}), (SELECT MAX(id) FROM {t['verification']})")  # fmt: skip
    head, pending, verified = _one_row(sql, [])
    return f"e{int(head or 0) + int(pending or 0)}.{int(verified or 0)}"


def change_position() -> str:
    """How many committed audit entries recorded a change (see the module's docstring)."""
    t = _tables()
    reads = sorted(read_events())
    marks = ", ".join(["%s"] * len(reads))
    # The queued entries are the newest (the sealer takes them in order): they are found as the
    # range of the trail from the oldest of them, an index range whatever the trail's size. As a
    # join, PostgreSQL's planner chose to read the whole trail instead (4 ms at 12,650 entries,
    # on every page view; growing with every entry).
    # Table names come from the models' metadata, never from input; values are parameters.
    sql = (f"SELECT (SELECT changes FROM {t['changes']} WHERE id = 1), "  # noqa: S608
           f"(SELECT COUNT(*) FROM {t['entry']} e WHERE e.id >= (SELECT MIN(entry_id) FROM {t['pending']}) "
           f"AND e.id IN (SELECT entry_id FROM {t['pending']}) AND e.outcome <> %s AND e.event NOT IN ({marks})), "
           f"(SELECT MAX(id) FROM {t['verification']})")  # fmt: skip
    sealed, pending, verified = _one_row(sql, [str(Outcome.DENIED), *reads])
    return f"c{int(sealed or 0) + int(pending or 0)}.{int(verified or 0)}"


def current_position(moves_with: Literal["changes", "entries"] = "changes") -> str:
    """The position figures are keyed by: the one a ``cached`` computation running around this
    call read (see ``_reading``), or else read now."""
    reading = _reading.get()
    if reading is not None and moves_with in reading:
        if not reading[moves_with]:  # pinned, not read yet: read once for the whole block
            reading[moves_with] = change_position() if moves_with == "changes" else audit_position()
        return reading[moves_with]
    return change_position() if moves_with == "changes" else audit_position()


@contextmanager
def pinned(moves_with: Literal["changes", "entries"] = "changes") -> Iterator[None]:
    """One reading of the position for every figure cached in the block — one view's panels and
    to-dos — instead of one per figure. Read when the first of them asks, so before any of them
    is computed: as for a nested ``cached`` call, a figure is never older than its key."""
    outer = _reading.get() or {}
    if moves_with in outer:
        yield
        return
    token = _reading.set({**outer, moves_with: ""})  # "": not read yet (current_position)
    try:
        yield
    finally:
        _reading.reset(token)


def _looked_up(key: str, moves_with: Literal["changes", "entries"]) -> tuple[str, str, Any]:
    """(the position, the full cache key under it, what is cached there or None)."""
    position = current_position(moves_with)
    full = f"baomi:figures:{key}:{position}"
    return position, full, cache.get(full)


def cached(key: str, compute: Callable[[], T], *, moves_with: Literal["changes", "entries"] = "changes") -> T:
    """``compute()``, cached under ``key`` and the current position: of the committed changes
    (figures of the records), or of every entry (figures of the trail itself)."""
    outer = _reading.get() or {}
    position, full, hit = _looked_up(key, moves_with)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    token = _reading.set({**outer, moves_with: position})
    try:
        value = compute()
    finally:
        _reading.reset(token)
    cache.set(full, value, TTL)
    return value


def cached_count(key: str, queryset: Callable[[], QuerySet[Any]]) -> int | counts.Deferred:
    """``queryset().count()``, cached like :func:`cached`; counted with the batch around the call
    (``kit.counts``) when there is one, and cached once that batch is read. The position is
    read before, so the count is never older than its key."""
    _position, full, hit = _looked_up(key, "changes")
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    return counts.then(counts.of(queryset()), lambda n: cache.set(full, n, TTL))
