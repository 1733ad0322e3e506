"""Assertions shared by every test module (STYLE 2.10)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry


def _target_filter(target: Any) -> dict[str, str]:
    if target is None:
        return {}
    if isinstance(target, models.Model):
        return {"target_type": target._meta.label_lower, "target_id": str(target.pk)}
    return {"target_type": target[0], "target_id": str(target[1])}


def assert_audited(event: AuditEvent, target: Any = None, actor: Any = None, *, outcome: str | None = None,
                   since: int = 0) -> AuditEntry:  # fmt: skip
    """An entry of ``event`` (about ``target``, by ``actor``) exists after id ``since``."""
    qs = AuditEntry.objects.filter(event=int(event), id__gt=since, **_target_filter(target))
    if actor is not None:
        qs = qs.filter(actor_id=actor.pk)
    if outcome is not None:
        qs = qs.filter(outcome=outcome)
    entry = qs.order_by("-id").first()
    assert entry is not None, f"no {event.name} audit entry for {target!r} by {actor!r}"
    return entry


def assert_not_audited(event: AuditEvent, target: Any = None, *, since: int = 0) -> None:
    assert not AuditEntry.objects.filter(event=int(event), id__gt=since, **_target_filter(target)).exists()


def last_audit_id() -> int:
    last = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return int(last or 0)


def assert_denied(response: Any, *, actor: Any = None, since: int = 0) -> None:
    """A refusal that looks like not found (404) and left an ACCESS_DENIED entry (CAR-3)."""
    assert response.status_code == 404, f"expected 404, got {response.status_code}"
    assert_audited(AuditEvent.ACCESS_DENIED, actor=actor, outcome="denied", since=since)


# -- visibility: can() and its SQL twin visible() must agree (CAR-3, STYLE 2.10) ----------------


def _decisions(user: Any, obj: models.Model, action: str) -> tuple[bool, bool]:
    from baomi.access import policy

    model = type(obj)
    in_sql = policy.visible(user, model._default_manager.filter(pk=obj.pk), action).exists()
    return policy.can(user, action, obj), in_sql


def assert_visible(user: Any, obj: models.Model, action: str = "view") -> None:
    """``user`` may ``action`` ``obj``: both ``can`` and ``visible`` say so (Paperless's
    visible/hidden helper, made to check that the two halves of a rule agree)."""
    allowed, in_sql = _decisions(user, obj, action)
    assert allowed and in_sql, f"{action} {obj!r} for {user!r}: can={allowed}, visible={in_sql}"


def assert_hidden(user: Any, obj: models.Model, action: str = "view") -> None:
    """``user`` may not ``action`` ``obj``: both ``can`` and ``visible`` refuse."""
    allowed, in_sql = _decisions(user, obj, action)
    assert not allowed and not in_sql, f"{action} {obj!r} for {user!r}: can={allowed}, visible={in_sql}"


# -- query counts -------------------------------------------------------------------------------------


@contextlib.contextmanager
def assert_max_queries(limit: int) -> Iterator[CaptureQueriesContext]:
    """The block runs at most ``limit`` SQL queries (no N+1 in lists and ledgers)."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    queries = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) <= limit, f"{len(ctx.captured_queries)} queries > {limit}:\n{queries}"


@contextlib.contextmanager
def assert_num_queries(expected: int) -> Iterator[CaptureQueriesContext]:
    """The block runs exactly ``expected`` SQL queries."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    queries = "\n".join(q["sql"] for q in ctx.captured_queries)
    assert len(ctx.captured_queries) == expected, f"{len(ctx.captured_queries)} != {expected}:\n{queries}"
