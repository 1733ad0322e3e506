"""Start-page tasks of the media and devices register (OPS-1, SUP-6): checks due."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.devices import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "devices_browse"):
        return []
    return [{"label": _("Media and devices due for a check"), "count": counts.of(selectors.checks_due(user)),
             "url": reverse("devices:list") + "?status=in_use", "level": "warn"}]  # fmt: skip
