"""``record()``: the only writer of the audit trail (SEC-3, STYLE 2.4).

Services, the vault, the CLI and jobs call it inside the transaction of the change they audit,
so the entry commits with the change or not at all. Denials are written by the ``@service``
decorator after the refused change has rolled back.

``record()`` is on every write path, so it stays cheap: the next id (its MAC binds it), then one
INSERT of the entry with its own MAC (a trigger queues it for the sealer in the same statement)
and no shared row to lock. The sealer chains the entry a
moment later (``baomi.audit.chain``; docs/audit.md "The window").
"""

from __future__ import annotations

import ipaddress
import json
from contextlib import nullcontext
from typing import Any

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from baomi.audit.chain import MAC_FIELDS, bound, canonical, canonical_row
from baomi.audit.context import current
from baomi.audit.models import AuditEntry, Outcome, TextEncoder
from baomi.core import keys

__all__ = ["MAC_FIELDS", "actor_fields", "canonical", "record"]
_FIELDS = list(AuditEntry._meta.concrete_fields)  # the id first: it is bound into the MAC
_SQL: dict[str, str] = {}
_NEXT_ID: dict[str, str] = {}


def _insert_sql(connection: Any) -> str:
    """One plain INSERT (the ORM's insert machinery costs more than the rest of record())."""
    sql = _SQL.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in _FIELDS)
        placeholders = ", ".join(["%s"] * len(_FIELDS))
        # Names come from the model's own metadata, never from input; values are parameters.
        sql = f"INSERT INTO {quote(AuditEntry._meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
        _SQL[connection.vendor] = sql
    return sql


def _next_id(connection: Any, cursor: Any) -> int:
    """The id the entry will have, known before the INSERT so that its MAC can bind it.

    PostgreSQL: ``nextval`` of the table's identity sequence (never handed out twice, even to
    transactions that roll back). SQLite: the AUTOINCREMENT counter + 1, read under the database
    write lock that the caller's ``BEGIN IMMEDIATE`` transaction holds (settings
    ``transaction_mode``), so no other writer can take the same number.
    """
    table = AuditEntry._meta.db_table
    if connection.vendor == "postgresql":
        sql = _NEXT_ID.get("postgresql")
        if sql is None:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, AuditEntry._meta.pk.column])
            name = cursor.fetchone()[0].replace("'", "''")
            sql = _NEXT_ID["postgresql"] = f"SELECT nextval('{name}')"
        cursor.execute(sql)
        return int(cursor.fetchone()[0])
    sql = _NEXT_ID.get("sqlite")
    if sql is None:
        # The table name comes from the model's metadata, never from input.
        quoted = connection.ops.quote_name(table)
        sql = f"SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), (SELECT MAX(id) FROM {quoted}), 0)"  # noqa: S608
        _NEXT_ID["sqlite"] = sql
    cursor.execute(sql, [table])
    return int(cursor.fetchone()[0]) + 1


def _params(values: dict[str, Any], connection: Any) -> list[Any]:
    # Field.get_db_prep_save for all 15 fields costs ~80 µs; only two need adapting at all.
    params: list[Any] = []
    for f in _FIELDS:
        value = values[f.attname]
        if f.name == "time":
            value = connection.ops.adapt_datetimefield_value(value)
        elif f.name == "details":
            value = connection.ops.adapt_json_value(value, TextEncoder)
        params.append(value)
    return params


def _clean_ip(ip: str | None) -> str | None:
    """The address as the database gives it back (so verify's MAC matches), or None when it is
    not an address at all (a forged X-Real-IP header must not break the audited change)."""
    if not ip:
        return None
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return clean_ipv6_address(ip) if ":" in ip else ip


def _target_fields(target: Any) -> dict[str, str]:
    if target is None:
        return {"target_type": "", "target_id": "", "target_label": "", "target_level": ""}
    if isinstance(target, models.Model):
        label = getattr(target, "audit_label", None)
        level = getattr(target, "level", "") or ""
        return {
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk or ""),
            "target_label": str(label() if callable(label) else (label or target))[:300],
            "target_level": str(level),
        }
    if isinstance(target, tuple):  # (type, id, label[, level]) for things that are not models
        t_type, t_id, label, *rest = target
        return {
            "target_type": str(t_type),
            "target_id": str(t_id),
            "target_label": str(label)[:300],
            "target_level": str(rest[0]) if rest else "",
        }
    raise TypeError(f"cannot audit target {target!r}")


def actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        name = getattr(actor, "username", "") if actor is not None else ""
        return {"actor_id": None, "actor_name": name or "", "actor_roles": ""}
    roles = getattr(actor, "role_codes", None)
    return {
        "actor_id": actor.pk,
        "actor_name": actor.get_username(),
        "actor_roles": ",".join(sorted(roles())) if callable(roles) else "",
    }


def record(
    actor: Any,
    event: int,
    target: Any = None,
    *,
    outcome: str = Outcome.OK,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry for ``actor`` doing ``event`` to ``target``.

    ``target`` is a model instance (its ``audit_label`` and ``level`` are copied as text) or a
    tuple ``(type, id, label[, level])``. ``details`` holds before/after values of changed
    fields and references, never secrets or content.
    """
    ctx = current()
    values: dict[str, Any] = {
        "time": timezone.now(),
        "event": int(event),
        "outcome": str(outcome),
        "ip": _clean_ip(ctx.ip),
        "channel": ctx.channel,
        "request_id": ctx.request_id,
        "details": json.loads(json.dumps(details or {}, default=str)),
        **actor_fields(actor),
        **_target_fields(target),
    }
    scheme = keys.current_scheme()
    db = router.db_for_write(AuditEntry)
    connection = connections[db]
    # SQLite outside a transaction (autocommit): one is opened, so that reading the next id and
    # the INSERT are one unit under the write lock. PostgreSQL's nextval needs none.
    unit = transaction.atomic(using=db, savepoint=False) if connection.vendor == "sqlite" else nullcontext()
    with unit, connection.cursor() as cursor:
        pk = _next_id(connection, cursor)
        data = bound(scheme, pk, canonical_row([values[name] for name in MAC_FIELDS]))
        values.update(id=pk, mac=keys.mac_with(keys.SCHEME_DIGEST[scheme], data), mac_scheme=scheme)
        cursor.execute(_insert_sql(connection), _params(values, connection))
    # Positional arguments in field order: Model.__init__'s fast path.
    args = [values[f.attname] for f in _FIELDS]
    entry = AuditEntry(*args)  # type: ignore[misc]  # django-stubs cannot type positional init
    entry._state.adding = False
    entry._state.db = db
    return entry
