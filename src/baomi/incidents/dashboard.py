"""Incident to-dos for the start page (OPS-1, R-INC-1): the reporting clock on the security
officer's and the unit head's dashboards, the incidents assigned to a handler."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.incidents import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not can(user, "incident_list"):
        return out
    base = reverse("incidents:list")
    clocks = list(selectors.running_clocks(user)[:50])
    if clocks:
        now = timezone.now()
        overdue = [i for i in clocks if i.deadline_at and i.deadline_at < now]
        if overdue:
            out.append({"label": _("Incidents past the 24-hour reporting deadline"), "count": len(overdue),
                        "url": base + "?clock=overdue", "level": "bad"})  # fmt: skip
        running = len(clocks) - len(overdue)
        if running:
            soonest = next(i for i in clocks if i not in overdue)
            clock = selectors.clock_of(soonest, now)
            out.append({
                "label": _("Incidents to report upward — next deadline %(at)s (%(left)s left)") % {
                    "at": timezone.localtime(clock.deadline).strftime("%Y-%m-%d %H:%M"), "left": clock.remaining_text},
                "count": running, "url": reverse("incidents:detail", args=[soonest.pk]), "level": "warn",
            })  # fmt: skip
    if can(user, "manage_incidents"):
        unassigned = counts.of(selectors.incidents(user, status="open").filter(handler__isnull=True))
        out.append({"label": _("Incidents without a handler"), "count": unassigned, "url": base + "?status=open",
                    "level": "warn"})  # fmt: skip
    mine = counts.of(
        selectors.incidents(user, action="manage").filter(handler_id=user.pk).exclude(status="closed")
    )
    out.append({"label": _("Incidents assigned to me"), "count": mine, "url": base, "level": "warn"})
    return out
