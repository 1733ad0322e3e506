"""Start-page tasks of the visitors register (OPS-1, SUP-4): visitors still on site at closing
time for the security officer; a host's visitors on site. Approvals waiting for a place's
responsible person come from ``kit.requests.approval_queue``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.kit import counts
from baomi.visitors import selectors
from baomi.visitors.choices import VisitStatus


def tasks(user: Any) -> list[dict[str, Any]]:
    out = []
    if can(user, "visitors_manage"):
        out.append({"label": _("Visitors still on site at closing time"),
                    "count": counts.of(selectors.on_site_at_closing(user)), "url": reverse("visitors:closing"),
                    "level": "bad"})  # fmt: skip
    if can(user, "visitors_browse"):
        out.append({"label": _("My visitors on site"),
                    "count": counts.of(selectors.visits(user, status=VisitStatus.ON_SITE).filter(host=user)),
                    "url": reverse("visitors:list") + "?status=on_site", "level": "warn"})  # fmt: skip
    return out
