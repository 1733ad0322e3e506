"""Bind items and carriers written directly by test factories, as the services do (R-CRYPTO-5):
the access policy refuses an object whose integrity binding fails (issue 11 §4), so fixture data
written past the services must be bound once its level, mark and scope are in place."""

from __future__ import annotations

from typing import Any, TypeVar

T = TypeVar("T")


def bind(obj: T) -> T:
    """Store the MAC of an item's mark and scope, or of a carrier's level and number."""
    from baomi.carriers import integrity
    from baomi.carriers.models import Carrier
    from baomi.classification.marking import compute_mac
    from baomi.classification.models import Item

    o: Any = obj
    if isinstance(o, Item):
        o.mark_mac = compute_mac(o)
        Item.objects.filter(pk=o.pk).update(mark_mac=o.mark_mac)
    elif isinstance(o, Carrier):
        o.mark_mac = integrity.compute_mac(o)
        Carrier.objects.filter(pk=o.pk).update(mark_mac=o.mark_mac)
    else:
        raise TypeError(f"nothing to bind on {type(o).__name__}")
    return obj
