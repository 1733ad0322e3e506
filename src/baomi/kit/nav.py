"""Per-role navigation. Each app lists its entries in its ``nav`` part (``baomi.<app>.nav.ITEMS``) as
``(order, label, url name, policy action)``; an entry shows when ``access.can(user, action)``.

The top bar groups the entries into the sections a 保密办 officer recognises — 定密管理 · 载体管理 ·
人员管理 · 监督检查 · 统计报表 · 系统管理 — by the entry's ``order`` (:data:`SECTIONS`: 10–29
classification, 30–39 carriers, 40–59 personnel, 60–69 supervision, 70–79 reports, 80–99
administration; below 10 a plain link such as 首页). A section shows only when the user has at
least one entry in it, so every role sees only menus where it can have something, and the bar
stays one row at 1366×768 however many apps plug in.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

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


#: (key, label, first order, last order) — the sections of the top navigation, in order.
SECTIONS: list[tuple[str, Any, int, int]] = [
    ("classification", pgettext_lazy("nav section", "Classification"), 10, 29),
    ("carriers", pgettext_lazy("nav section", "Carriers"), 30, 39),
    ("personnel", pgettext_lazy("nav section", "Personnel"), 40, 59),
    ("supervision", pgettext_lazy("nav section", "Supervision and inspection"), 60, 69),
    ("reports", pgettext_lazy("nav section", "Statistics and reports"), 70, 79),
    ("administration", pgettext_lazy("nav section", "System administration"), 80, 99),
]


def sections_for(
    user: Any, path: str = "", entries: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The user's entries grouped by section: ``[{"key", "label", "items", "current"}]``; an
    entry below the first section (首页) is a group of its own with ``label`` None. Sections
    without an entry for this user are left out. The entry whose URL is the longest prefix of
    ``path`` is ``current``, and so is its section. ``entries`` defaults to :func:`items_for`."""
    entries = items_for(user) if entries is None else [dict(e) for e in entries]
    groups: list[dict[str, Any]] = []
    for entry in entries:
        entry["current"] = False
        section = next((s for s in SECTIONS if s[2] <= entry["order"] <= s[3]), None)
        if section is None:
            groups.append({"key": entry["name"], "label": None, "items": [entry], "current": False})
            continue
        if not groups or groups[-1]["key"] != section[0]:
            groups.append({"key": section[0], "label": section[1], "items": [], "current": False})
        groups[-1]["items"].append(entry)
    matches = [
        (len(e["url"]), g, e)
        for g in groups
        for e in g["items"]
        if path and (path == e["url"] or (e["url"] != "/" and path.startswith(e["url"])))
    ]
    if matches:
        _length, group, entry = max(matches, key=lambda m: m[0])
        group["current"] = entry["current"] = True
    return groups
