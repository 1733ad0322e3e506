"""Demo data for ``make run`` / ``baomi demo``: idempotent, part by part.

Each app may declare a ``demo`` part (``baomi.<app>.demo`` with ``load() -> None``, optionally
``ACCOUNTS``, a list of ``(username, description)``, and ``account_notes()``), loaded after the
apps named in its ``demo_after`` (``baomi.kit.registry.demo_order``). An app's demo loads
once; the marker row (its label) records it.
"""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction

from baomi.core.models import DemoMarker
from baomi.kit import registry

DEMO_PASSWORD = "Baomi@2026"  # noqa: S105 - printed by make run; demo only


def _modules() -> list[tuple[str, Any]]:
    return [(app.label, app.part_module("demo")) for app in registry.demo_order()]


def load() -> bool:
    """Load every part not yet loaded; return whether anything was loaded."""
    loaded = False
    for part, module in _modules():
        with transaction.atomic():
            if DemoMarker.objects.filter(part=part).exists():
                continue
            module.load()  # type: ignore[attr-defined]
            DemoMarker.objects.create(part=part)
            loaded = True
    return loaded


def print_accounts(out: IO[str]) -> None:
    out.write(f"演示账号 (口令均为 {DEMO_PASSWORD}):\n")
    for _part, module in _modules():
        for username, description in getattr(module, "ACCOUNTS", []):
            out.write(f"  {username:<14} {description}\n")
    for _part, module in _modules():
        notes = getattr(module, "account_notes", None)
        if notes is not None:
            out.write(notes())
