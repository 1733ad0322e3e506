"""Governance to-do entries for the start page (OPS-1): departments without this year's signed
responsibility statement (ORG-2), regulation reviews past due (SUP-10), drills past due (SUP-9)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.governance import selectors


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "manage_governance"):
        return []
    today = timezone.localdate()
    return [
        {"label": _("Departments without this year's responsibility statement"),
         "count": selectors.statement_figures(today)["missing"], "url": reverse("governance:statements"),
         "level": "warn"},
        {"label": _("Regulation reviews past due"), "count": selectors.regulation_review_figures(today)["missing"],
         "url": reverse("governance:regulations"), "level": "warn"},
        {"label": _("Emergency drills past due"), "count": selectors.drill_figures(today)["missing"],
         "url": reverse("governance:plans"), "level": "bad"},
    ]  # fmt: skip
