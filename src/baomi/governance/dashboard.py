"""Governance to-do entries for the start page (OPS-1): departments without this year's signed
responsibility statement (ORG-2), regulation reviews past due (SUP-10), drills past due (SUP-9)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.governance import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "manage_governance"):
        return []
    today = timezone.localdate()
    # The exceptions of the figures' "missing" (selectors' docstring), counted with the page's
    # other counts (kit.counts).
    return [
        {"label": _("Departments without this year's responsibility statement"),
         "count": counts.of(selectors.departments_without_statement(today)), "url": reverse("governance:statements"),
         "level": "warn"},
        {"label": _("Regulation reviews past due"), "count": counts.of(selectors.regulations_review_overdue(today)),
         "url": reverse("governance:regulations"), "level": "warn"},
        {"label": _("Emergency drills past due"), "count": counts.of(selectors.plans_drill_overdue(today)),
         "url": reverse("governance:plans"), "level": "bad"},
    ]  # fmt: skip
