"""Start-page tasks of the key places register (OPS-1, SUP-5): checks due. A check's findings are
rectified in the one rectification loop (``baomi.kit.rectification``), whose tasks the
inspections app puts on the start page: counting the check here too showed the same finding twice."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.kit import counts
from baomi.sites import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "sites_browse"):
        return []
    return [
        {"label": _("Key places due for a check"), "count": counts.of(selectors.checks_due(user)),
         "url": reverse("sites:places"), "level": "warn"},
    ]  # fmt: skip
