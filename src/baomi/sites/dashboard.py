"""Start-page tasks of the key places register (OPS-1, SUP-5): checks due, open rectifications."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.sites import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "sites_browse"):
        return []
    return [
        {"label": _("Key places due for a check"), "count": selectors.checks_due(user).count(),
         "url": reverse("sites:places"), "level": "warn"},
        {"label": _("Place check findings awaiting rectification"),
         "count": selectors.rectifications_open(user).filter(checker=user).count() if not can(user, "sites_manage")
         else selectors.rectifications_open(user).count(), "url": reverse("sites:checks") + "?status=findings",
         "level": "bad"},
    ]  # fmt: skip
