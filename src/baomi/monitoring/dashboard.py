"""Start-page entries of the monitoring app (OPS-1, SEC-5): open alerts for their recipient."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.kit import counts
from baomi.monitoring import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "monitoring.alerts"):
        return []
    qs = selectors.alerts(user, {"status": "new"})
    return [
        {"label": _("New monitoring alerts"), "count": counts.of(qs),
         "url": reverse("monitoring:alerts") + "?" + urlencode({"status": "new"}), "level": "bad"},
    ]  # fmt: skip
