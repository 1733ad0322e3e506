"""The item's mark and its integrity, on top of ``baomi.core.marks`` (CLS-7, R-MARK-7/8,
R-CRYPTO-5). Nothing here generates a mark itself: it picks the item's level and duration and
asks ``core.marks``; the MAC binds the mark text to the item id and its scope digest."""

from __future__ import annotations

from typing import Any

from baomi.core import marks
from baomi.core.durations import Duration
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level

TARGET = "classification.item"
FORMER_MARK = "former_mark_text"


def remember_former_mark(item: Any, text: str | None) -> None:
    item.__dict__[FORMER_MARK] = text


def item_duration(item: Any) -> Duration | None:
    """The item's duration as the tagged union, or ``None`` when it carries none (non-secrets,
    a work secret without a period)."""
    if not item.duration_kind:
        return None
    return Duration.from_fields(item)


def current_mark(level: str, duration: Duration | None) -> str:
    return marks.make_mark(level, duration)


def item_mark(item: Any) -> str:
    """The mark shown for the item: the live mark, or for a declassified item the old mark with
    「解密」 (plain text; the HTML form is in the templates, R-MARK-8). An item the authority
    refused to classify (不予定密) carries no mark: the proposal's level was only provisional."""
    if item.status == "refused":
        return ""
    if item.status == "declassified":
        if FORMER_MARK in item.__dict__:  # read with the rows (``selectors.former_mark_subquery``)
            old = item.__dict__[FORMER_MARK] or ""
        else:
            former = item.marks.filter(cancelled_at__isnull=False).order_by("-valid_from", "-id").first()
            old = former.text if former else ""
        return f"{old} {marks.DECLASSIFIED_WORD}".strip()
    return current_mark(item.level, item_duration(item))


def scope_digest(item: Any) -> str:
    # A list reads the scope of its rows with them (``prefetch_related("scope")``), so checking
    # every row's mark costs no query per row.
    cached = getattr(item, "_prefetched_objects_cache", {}).get("scope")
    if cached is not None:
        rows = [(e.user_id, e.department_id) for e in cached]
    else:
        rows = list(item.scope.values_list("user_id", "department_id"))
    return marks.scope_digest([u for u, _ in rows if u], [d for _, d in rows if d])


def compute_mac(item: Any) -> str:
    """The MAC of the item's current mark bound to the item (R-CRYPTO-5)."""
    return marks.mark_mac(TARGET, item.pk, item_mark(item), scope=f"{item.level}|{scope_digest(item)}")


def mark_is_tampered(item: Any) -> bool:
    """Whether the stored MAC fails for the mark the item would show now: someone changed the
    level, duration or scope outside the services (R-CRYPTO-5)."""
    if item.status == "refused":
        return False  # no mark to tamper with (不予定密)
    if item.pk is None or not item.mark_mac:
        return bool(item.pk and item.status != "refused" and item.level != Level.PUBLIC)
    try:
        mark = item_mark(item)
    except ValidationFailed:
        return True  # no valid mark can be made of what is stored: its duration was tampered with
    return not marks.verify_mark_mac(
        item.mark_mac, TARGET, item.pk, mark, scope=f"{item.level}|{scope_digest(item)}"
    )
