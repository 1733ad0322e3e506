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
        *_verification_status(user),
    ]


def _verification_status(user: Any) -> list[dict[str, Any]]:
    """The last verify run: when, how far, intact or not — and a warning when the scheduled
    verify has stopped (issue 20 §2). The badge holds a word instead of a count."""
    last = selectors.last_verification(user)
    url = reverse("audit:list") + "?" + urlencode({"event": int(AuditEvent.AUDIT_VERIFIED)})
    if last is None:
        if selectors.trail_is_empty():
            return []
        return [{"label": _("The audit chain has not been verified yet: is the scheduler running?"),
                 "count": _("never"), "url": url, "level": "warn"}]  # fmt: skip
    when = timezone.localtime(last.time).strftime("%Y-%m-%d %H:%M")
    kind = _("scheduled") if last.kind == "scheduled" else _("full")
    if last.ok:
        label = _("Audit chain verification (%(kind)s, %(time)s): intact up to sequence number %(seq)d") % {
            "kind": kind, "time": when, "seq": last.head_seq}  # fmt: skip
        items: list[dict[str, Any]] = [{"label": label, "count": _("intact"), "url": url, "level": "ok"}]
    else:
        label = _("Audit chain verification (%(kind)s, %(time)s) FAILED at sequence number %(seq)s") % {
            "kind": kind, "time": when, "seq": last.first_seq if last.first_seq is not None else "-"}  # fmt: skip
        items = [{"label": label, "count": _("failed"), "url": url, "level": "bad"}]
    hours = int((timezone.now() - last.time).total_seconds() // 3600)
    if hours >= selectors.VERIFY_STALE_HOURS:
        items.append({"label": _("No audit chain verification for %(hours)d hours: is the scheduler running?")
                      % {"hours": hours}, "count": hours, "url": url, "level": "warn"})  # fmt: skip
    return items
