"""Per-role navigation. Each app lists its entries in ``baomi.<app>.nav.ITEMS`` as
``(order, label, url name, policy action)``; an entry shows when ``access.can(user, action)``."""

from __future__ import annotations

import importlib
from typing import Any

from django.urls import NoReverseMatch, reverse

from baomi.access.policy import can

APPS = ("dashboard", "classification", "carriers", "personnel", "supervision", "sites", "devices", "contractors", "audit",
        "accounts", "vault")  # fmt: skip


def items_for(user: Any) -> list[dict[str, Any]]:
    entries = []
    for app in APPS:
        try:
            module = importlib.import_module(f"baomi.{app}.nav")
        except ModuleNotFoundError:
            continue
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
