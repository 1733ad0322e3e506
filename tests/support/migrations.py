"""Helpers for tests that migrate back before a change and forward again (the data a migration
moves must survive it)."""

from __future__ import annotations

from typing import Any


def before(graph: Any, nodes: list[tuple[str, str]]) -> tuple[list[Any], list[Any]]:
    """One target per app: its newest migration that does not depend on any of ``nodes`` (or
    None); and the applied leaves, for the historical models (``project_state``)."""
    after: set[Any] = set()
    for node in nodes:
        after |= set(graph.backwards_plan(node))  # the node and everything that depends on it
    targets, state = [], []
    for app in sorted({n[0] for n in graph.nodes}):
        kept = {n for n in graph.nodes if n[0] == app and n not in after}
        leaves = [n for n in kept if not any(c.key in kept for c in graph.node_map[n].children)]
        if not leaves:
            targets.append((app, None))
            continue
        assert len(leaves) == 1, leaves
        targets.append(leaves[0])
        state.append(leaves[0])
    return targets, state
