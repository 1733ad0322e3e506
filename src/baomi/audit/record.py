"""``record()``: the only writer of the audit trail (SEC-3, STYLE 2.4).

Services, the vault, the CLI and jobs call it inside the transaction of the change they audit,
so the entry commits with the change or not at all. Denials are written by the ``@service``
decorator after the refused change has rolled back.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils import timezone

from baomi.audit import keys
from baomi.audit.context import current
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry, Outcome

MAC_FIELDS = (
    "time", "actor_id", "actor_name", "actor_roles", "event", "target_type", "target_id",
    "target_label", "target_level", "outcome", "ip", "channel", "request_id", "details",
)  # fmt: skip


def canonical(entry: AuditEntry) -> bytes:
    """The bytes the MAC covers: every field but the MAC, in a fixed order and form."""
    values: dict[str, Any] = {}
    for name in MAC_FIELDS:
        value = getattr(entry, name)
        if name == "time":
            value = value.isoformat(timespec="microseconds")
        values[name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


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
    event: AuditEvent,
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
    entry = AuditEntry(
        time=timezone.now(),
        event=int(event),
        outcome=str(outcome),
        ip=ctx.ip,
        channel=ctx.channel,
        request_id=ctx.request_id,
        details=json.loads(json.dumps(details or {}, default=str)),
        **actor_fields(actor),
        **_target_fields(target),
    )
    entry.mac = keys.mac(canonical(entry))
    entry.save(force_insert=True)
    return entry
