"""For the registers' demo data: pick demo people by clearance, since the personnel demo decides
who is cleared (a lapsed pledge lowers a clearance), as the carriers demo does."""

from __future__ import annotations

from typing import Any

from baomi.core.levels import dominates


def pick(users: dict[str, Any], level: str, *names: str) -> Any:
    """The first of ``names`` cleared for ``level``; else anyone cleared, the security officer first."""
    for name in (*names, "secofficer"):
        user = users.get(name)
        if user is not None and dominates(user.clearance, level):
            return user
    return next((u for u in users.values() if dominates(u.clearance, level)), None)
