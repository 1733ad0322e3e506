"""Personnel to-do entries for the start page (OPS-1): renewals, re-reviews, exits,
separation ends, travel opinions and reports, violation reports, 定密 training gaps."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.kit import counts
from baomi.personnel import selectors, services
from baomi.personnel.choices import ReportStatus, TravelStatus


def tasks(user: Any) -> list[dict[str, Any]]:
    _check_own_pledge(user)
    out: list[dict[str, Any]] = []
    if can(user, "manage_personnel"):
        base = reverse("personnel:due")
        out += [
            {"label": _("Confidentiality pledges to renew"), "count": selectors.shared_count(user, "renewals"),
             "url": base + "#renewals", "level": "warn"},
            {"label": _("Re-reviews due"), "count": counts.of(selectors.reviews_due(user)), "url": base + "#reviews",
             "level": "warn"},
            {"label": _("Exits in progress"), "count": selectors.shared_count(user, "exits_open"),
             "url": reverse("personnel:exit-list"), "level": "warn"},
            {"label": _("Separation periods ending"), "count": counts.of(selectors.separations_ending(user)),
             "url": base + "#separations", "level": ""},
            {"label": _("Post-trip reports overdue"), "count": counts.of(selectors.travel_reports_overdue(user)),
             "url": base + "#travel", "level": "bad"},
            {"label": _("Classification roles without current determination training"),
             "count": selectors.shared_count(user, "training_gaps"), "url": base + "#determination",
             "level": "bad"},
        ]  # fmt: skip
    if can(user, "review_reports"):
        out.append({"label": _("Violation reports to handle"),
                    "count": counts.of(selectors.violation_reports(user, status=ReportStatus.RECEIVED)),
                    "url": reverse("personnel:report-list"), "level": "bad"})  # fmt: skip
    travel_url = reverse("personnel:travel-list")
    pending = selectors.travel_requests(user, status=TravelStatus.SUBMITTED).exclude(traveller_id=user.pk)
    waiting = [t for t in pending if _needs_me(user, t)]
    out.append({"label": _("Travel requests waiting for you"), "count": len(waiting), "url": travel_url,
                "level": "warn"})  # fmt: skip
    mine = selectors.travel_requests(user, status=TravelStatus.RETURNED).filter(traveller_id=user.pk)
    out.append(
        {"label": _("My post-trip reports due"), "count": counts.of(mine), "url": travel_url, "level": "warn"}
    )
    return out


def _needs_me(user: Any, travel: Any) -> bool:
    if not travel.personnel_opinion and can(user, "give_personnel_opinion", travel):
        return True
    if not travel.security_opinion and can(user, "give_security_opinion", travel):
        return True
    return bool(travel.personnel_opinion and travel.security_opinion and can(user, "decide", travel))


def _check_own_pledge(user: Any) -> None:
    """The immediate check of PER-3 at the start page: a person whose pledge lapsed since the
    last hourly run loses the clearance the moment they arrive, not at the next job."""

    file = selectors.own_file(user)
    if file is not None and file.status == "active" and user.clearance != selectors.derived_clearance(file):
        services.check_agreement(None, file)
        user.refresh_from_db(fields=["clearance"])
