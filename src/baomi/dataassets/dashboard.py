"""Start-page tasks of the data assets register (OPS-1, R-DATA-4/7)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.dataassets import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "data_browse"):
        return []
    url = reverse("dataassets:list")
    out = [{"label": _("Important data risk assessments due or overdue"), "count": counts.of(selectors.due(user)),
            "url": url + "?due=1", "level": "warn"}]  # fmt: skip
    if can(user, "data_manage"):
        out.append({"label": _("Aggregation risks awaiting review"), "count": counts.of(selectors.aggregation_pending(user)),
                    "url": url + "?aggregation=pending", "level": "warn"})  # fmt: skip
    return out
