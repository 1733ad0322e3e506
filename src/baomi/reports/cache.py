"""Who cached figures are for (OPS-1): the key part that keeps one reader's numbers from
another. The figures themselves are cached under the change position (``baomi.audit.cache``)."""

from __future__ import annotations

from typing import Any


def scope_key(user: Any) -> str:
    """Who the figures are for: their roles, clearance and the departments they head — all the
    inputs of the policy's statistics filters besides the records themselves; need-to-know scope
    grants are records, audited like the rest."""
    heads = ",".join(str(d) for d in sorted(user.headed_department_ids()))
    return f"u{user.pk}|{','.join(sorted(user.role_codes()))}|{user.clearance}|{heads}"
