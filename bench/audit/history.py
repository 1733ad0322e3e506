"""A long, valid, sealed audit history loaded in bulk for the verify benchmarks (SEC-3).

Entries are what ``record()`` writes (same fields, the current MAC scheme with the id bound in)
and seals what the sealer writes, computed by the same functions (``chain.bound``,
``chain.entry_mac``, ``chain.seal_mac``) but inserted in batches — SQLite ``executemany``,
PostgreSQL ``COPY`` — so that a million entries load in minutes instead of hours. Runs inside
a configured Django process (bench/audit/run.py).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

BATCH = 20_000
COLUMNS = ("id", "time", "actor_id", "actor_name", "actor_roles", "event", "target_type", "target_id",
           "target_label", "target_level", "outcome", "ip", "channel", "request_id", "details", "mac",
           "mac_scheme")  # fmt: skip
SEAL_COLUMNS = ("seq", "entry_id", "sealed_at", "state", "mac", "mac_scheme")


def _rows(start_id: int, start_seq: int, count: int, previous: str) -> tuple[list, list, str]:
    from baomi.audit import chain
    from baomi.audit.events import AuditEvent
    from baomi.core import keys

    scheme = keys.current_scheme()
    base = datetime(2025, 1, 1, tzinfo=UTC)
    entries, seals = [], []
    for i in range(count):
        entry_id, seq = start_id + i, start_seq + i
        when = base + timedelta(seconds=entry_id, microseconds=entry_id % 997)
        details = {"changed": {"sort_order": [entry_id, entry_id + 1]}}
        values = [when, 1000 + entry_id % 500, f"user{entry_id % 500:03d}", "staff",
                  int(AuditEvent.DEPARTMENT_UPDATED), "accounts.department", str(entry_id % 400),
                  f"部门 {entry_id % 400} (历史数据)", "", "ok", "10.0.0.7", "web", f"{entry_id:032x}", details]  # fmt: skip
        data = chain.bound(scheme, entry_id, chain.canonical_row(values))
        previous = chain.seal_mac(scheme, seq, entry_id, "ok", scheme, data, previous)
        entries.append([entry_id, *values, chain.entry_mac(scheme, data), scheme])
        seals.append([seq, entry_id, when, "ok", previous, scheme])
    return entries, seals, previous


def extend(count: int) -> tuple[int, int]:
    """Append ``count`` sealed entries after the current head; return (head seq, last entry id)."""
    from django.db import connection, transaction

    from baomi.audit import chain
    from baomi.audit.models import AuditEntry

    seq, previous = chain.head()
    last_id = int(AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0)
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        entries, seals, previous = _rows(last_id + 1, seq + 1, n, previous)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _copy(connection, "audit_auditentry", COLUMNS, entries)
                _copy(connection, "audit_auditseal", SEAL_COLUMNS, seals)
            else:
                _executemany(connection, "audit_auditentry", COLUMNS, entries)
                _executemany(connection, "audit_auditseal", SEAL_COLUMNS, seals)
            with connection.cursor() as cur:  # the trigger queued them; they are sealed
                cur.execute("DELETE FROM audit_auditpending WHERE entry_id > %s", [last_id])
        last_id += n
        seq += n
        done += n
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), %s)", [last_id])
    return seq, last_id


def _executemany(connection: Any, table: str, columns: tuple[str, ...], rows: list) -> None:
    ops = connection.ops
    adapted = []
    for row in rows:
        row = list(row)
        for i, name in enumerate(columns):
            if name in ("time", "sealed_at"):
                row[i] = ops.adapt_datetimefield_value(row[i])
            elif name == "details":
                row[i] = json.dumps(row[i], ensure_ascii=False)
        adapted.append(row)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    with connection.cursor() as cur:
        cur.executemany(sql, adapted)


def _copy(connection: Any, table: str, columns: tuple[str, ...], rows: list) -> None:
    connection.ensure_connection()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            row = list(row)
            if "details" in columns:
                i = columns.index("details")
                row[i] = json.dumps(row[i], ensure_ascii=False)
            copy.write_row(row)


def anchor_here() -> int:
    """Save a signed verification record at the current head, as a verify that reached it would
    (the full verify of a long history is what the scheduled verify avoids repeating)."""
    from baomi.audit import chain
    from baomi.audit.models import AuditEntry

    seq, mac = chain.head()
    result = chain.VerifyResult(head_seq=seq, head_mac=mac, checked=seq)
    result.entry_id_checked = int(
        AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    )
    chain.verification_record(result).save(force_insert=True)  # lint: allow (benchmark set-up)
    return seq
