"""Dashboard tasks of the classification app (OPS-1): what needs this person's action."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.classification import selectors
from baomi.classification.choices import ItemStatus, RequestStatus
from baomi.classification.models import ClassificationRequest, ExpansionRequest
from baomi.kit import counts, requests


def tasks(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    unread = counts.of(selectors.notices(user, unread_only=True))
    out.append({"label": _("Classification notices to acknowledge"), "count": unread,
                "url": reverse("classification:notices"), "level": "warn"})  # fmt: skip
    # The shared approval-queue entry (kit.requests.queue_entry): its own wording, and only
    # ``pending`` — a request reported upward is the security office's to record (upward_queue).
    if can(user, "decide_requests"):
        out.append(requests.queue_entry(user, ClassificationRequest, statuses=(RequestStatus.PENDING,),
                                        label=_("Classification requests awaiting your decision"),
                                        url=reverse("classification:queue")))  # fmt: skip
    if can(user, "approve_expansions"):
        out.append(requests.queue_entry(user, ExpansionRequest, action="approve_expansion",
                                        label=_("Need-to-know expansions awaiting approval"),
                                        url=reverse("classification:expansions")))  # fmt: skip
    if can(user, "view_matters"):
        out.append({"label": _("Unclear matters and disputes past their deadline"),
                    "count": counts.of(selectors.matters(user, overdue_only=True)),
                    "url": reverse("classification:matters") + "?overdue=1", "level": "bad"})  # fmt: skip
    if can(user, "manage_calendar"):
        # Deadlines in a year the working-day calendar does not cover count Monday to Friday
        # (CLS-6, issue 12 §4): the officer is told, once per such year.
        for year, count in selectors.uncovered_deadlines(user).items():
            out.append({"label": _("Deadlines in %(year)s, a year the working-day calendar does not cover")
                        % {"year": year}, "count": count, "url": reverse("classification:calendar"),
                        "level": "warn"})  # fmt: skip
    if can(user, "view_reviews"):
        for campaign in selectors.campaigns(user).filter(closed_at__isnull=True):
            rows = selectors.campaign_rows(user, campaign, "decide").filter(
                decision="", item__status=ItemStatus.DETERMINED
            )
            out.append({"label": _("Annual review: items without a decision"), "count": counts.of(rows),
                        "url": reverse("classification:campaign", args=[campaign.pk]), "level": ""})  # fmt: skip
    return out
