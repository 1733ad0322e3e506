"""Start-page tasks of the secret meetings register (OPS-1, R-SITE-2): meetings over with
carriers not yet recovered. Approvals come from ``kit.requests.approval_queue``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.kit import counts
from baomi.meetings import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    mine = selectors.unrecovered_meetings(user).filter(organiser=user)
    count = counts.of(selectors.unrecovered_meetings(user) if user.has_role("security_officer") else mine)
    return [{"label": _("Meetings over with carriers not recovered"), "count": count,
             "url": reverse("meetings:list"), "level": "bad"}]  # fmt: skip
