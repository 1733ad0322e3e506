"""Start-page tasks of the contractors register (OPS-1, SUP-13): qualifications expiring soon,
expired ones an open engagement still relies on."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.contractors import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "contractors_manage"):
        return []
    url = reverse("contractors:qualifications")
    return [
        {"label": _("Contractor qualifications expiring soon"), "count": counts.of(selectors.expiring(user)),
         "url": url + "?state=valid", "level": "warn"},
        {"label": _("Expired qualifications still relied on by an open engagement"),
         "count": counts.of(selectors.expired_in_use(user)), "url": url + "?state=expired", "level": "bad"},
    ]  # fmt: skip
