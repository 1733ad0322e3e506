"""Start-page tasks of the information systems register (OPS-1, R-SYS-3): risk assessments
overdue and due soon."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.kit import counts
from baomi.systems import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "systems_browse"):
        return []
    today = timezone.localdate()
    overdue = counts.of(selectors.assessments_overdue(user, today))
    # Due within the lead time and not overdue.
    soon = counts.of(selectors.assessments_due(user, today).filter(next_assessment_on__gte=today))
    url = reverse("systems:due")
    return [
        {"label": _("System risk assessments overdue"), "count": overdue, "url": url, "level": "bad"},
        {"label": _("System risk assessments due soon"), "count": soon, "url": url, "level": "warn"},
    ]
