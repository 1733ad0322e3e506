"""Per-role navigation. Each app lists its entries in its ``nav`` part (``baomi.<app>.nav.ITEMS``) as
``(order, label, url name, policy action)``; an entry shows when ``access.can(user, action)``."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from baomi.access.policy import can
from baomi.kit import registry


def items_for(user: Any) -> list[dict[str, Any]]:
    entries = []
    for _app, module in sorted(registry.modules("nav"), key=lambda am: am[0].nav_rank):
        for order, label, url_name, action in module.ITEMS:
            try:
                if action and not can(user, action):
                    continue
            except LookupError:  # an unregistered action hides the entry (tests/test_meta.py catches it)
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            entries.append({"order": order, "label": label, "url": url, "name": url_name})
    return sorted(entries, key=lambda e: e["order"])
