"""Cached figures that can never be stale (OPS-1 speed).

Every change to a record the figures count is made by a service that writes its audit entry in
the same transaction (ARCHITECTURE rule 2). So the number of committed audit entries — the
chain head's sequence number plus the entries still waiting for their seal — changes with
every committed change, and figures cached under that number are the figures of the data as it
stands. The position is read *before* the figures are computed, so a change that commits in
between can only make the cached value newer than its key, never older.

Reading the position costs two index lookups (the head seal; the small queue of unsealed
entries). Keys also carry who the figures are for (their policy scope), so one reader never
gets another's numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from baomi.audit.models import AuditPending, AuditSeal, AuditVerification

T = TypeVar("T")
TTL = 15 * 60


def audit_position() -> str:
    """How many audit entries have committed — it changes with every committed change — and the
    newest chain verification record (an intact scheduled verify writes that record but no
    entry of its own)."""
    head = AuditSeal.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    verified = AuditVerification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"{int(head) + AuditPending.objects.count()}.{verified}"


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached under ``key`` and the current audit position."""
    full = f"baomi:figures:{key}:{audit_position()}"
    hit = cache.get(full)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(full, value, TTL)
    return value


def scope_key(user: Any) -> str:
    """Who the figures are for: their roles, clearance and the departments they head — all the
    inputs of the policy's statistics filters besides the records themselves; need-to-know scope
    grants are records, audited like the rest."""
    from baomi.carriers.rules import headed_department_ids

    heads = ",".join(str(d) for d in sorted(headed_department_ids(user)))
    return f"u{user.pk}|{','.join(sorted(user.role_codes()))}|{user.clearance}|{heads}"
