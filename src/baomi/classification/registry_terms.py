"""What the registry says must not go out, read for the publication screening (SUP-3).

A read-only seam (docs/architecture.md "How the apps meet"): the publication app builds its
matcher from :func:`item_terms`, notices changes with :func:`registry_state` and
:func:`items_marked_since`, and keeps only hits on items that are still secret with
:func:`live_levels`. No policy here: these are the system's own reads; who may *see* a hit is
decided by the policy on the item (``ItemRule``) when the hit is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from baomi.classification.choices import ItemStatus
from baomi.classification.models import Item, MarkRecord
from baomi.core.levels import Level

# 工作秘密 and the state-secret levels: what the screening looks for (SUP-3 (c)).
SCREENED_LEVELS = (Level.WORK_SECRET, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)
LIVE = (ItemStatus.PROPOSED, ItemStatus.PENDING_UPWARD, ItemStatus.DETERMINED)


def registry_state() -> tuple[Any, ...]:
    """The newest item and the newest mark record, each as ``(id, time)``: any new item, and any
    determination, change or lifting (each writes a mark record), changes this value."""
    item = Item.objects.order_by("-id").values_list("id", "created_at").first() or (0, None)
    mark = MarkRecord.objects.order_by("-id").values_list("id", "valid_from").first() or (0, None)
    return (*item, *mark)


def item_exists(pk: int, created_at: Any) -> bool:
    """Whether item ``pk`` is still the row it was (ids are reused after a rolled-back test)."""
    return Item.objects.filter(pk=pk, created_at=created_at).exists()


def mark_exists(pk: int, valid_from: Any) -> bool:
    return MarkRecord.objects.filter(pk=pk, valid_from=valid_from).exists()


def item_terms(*, after_id: int = 0, ids: Iterable[int] | None = None,
               chunk: int = 5000) -> Iterator[tuple[int, str, str, str, str]]:  # fmt: skip
    """``(id, title, secret points, document number, level)`` of every item at 工作秘密 or above
    (in any state: the screening drops hits on items no longer secret when it checks them)."""
    qs = Item.objects.filter(level__in=SCREENED_LEVELS, pk__gt=after_id)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    yield from (
        qs.order_by("pk")
        .values_list("id", "title", "secret_points", "reference", "level")
        .iterator(chunk_size=chunk)
    )


def items_marked_since(mark_id: int) -> list[int]:
    """Items whose mark changed after mark record ``mark_id`` (determined, changed, lifted)."""
    return list(MarkRecord.objects.filter(pk__gt=mark_id).values_list("item_id", flat=True).distinct())


def live_levels(ids: Iterable[int]) -> dict[int, str]:
    """``{id: level}`` of the given items that are still secret (live, 工作秘密 or above)."""
    rows = Item.objects.filter(pk__in=list(ids), status__in=LIVE, level__in=SCREENED_LEVELS)
    return dict(rows.values_list("id", "level"))
