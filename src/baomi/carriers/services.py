"""Carrier services: registration and every lifecycle move (CAR-1..13)."""

from __future__ import annotations

from typing import Any

from baomi.carriers.models import Carrier


def relevel_carriers(item: Any) -> int:
    """Keep every carrier's ``level`` equal to its item's after a determination, change or
    lifting (CLS-2: every carrier shows the item's mark). Called inside the classification
    service's transaction, which has already checked policy and writes the audit entry."""
    return Carrier.objects.filter(item_id=item.pk).exclude(level=item.level).update(level=item.level)
