"""The auditor's to-do entries on the start page (SEC-3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.audit import selectors
from baomi.audit.events import AuditEvent


def tasks(user: Any) -> list[dict[str, Any]]:
    if not can(user, "read_audit"):
        return []
    counts = selectors.counts_for_dashboard(user)
    url = reverse("audit:list")
    today = timezone.localdate()
    return [
        {
            "label": _("Audit chain verifications that failed (30 days)"),
            "count": counts["verify_failed_30d"],
            "url": url + "?" + urlencode({"event": int(AuditEvent.AUDIT_VERIFIED), "outcome": "failed"}),
            "level": "bad",
        },
        {
            "label": _("Audit entries not sealed for over %(minutes)d minutes: is the scheduler running?")
            % {"minutes": selectors.STALE_MINUTES},
            "count": counts["unsealed_stale"],
            "url": url,
            "level": "bad",
        },
        {
            "label": _("Denied accesses (7 days)"),
            "count": counts["denied_7d"],
            "url": url + "?" + urlencode({"outcome": "denied", "date_from": today - timedelta(days=6)}),
            "level": "warn",
        },
    ]
