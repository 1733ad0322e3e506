"""Publication to-do entries for the start page (OPS-1): reviews waiting for me, deadlines
passed (R-PUB-3), withheld information due for re-assessment (R-PUB-2), approved versions of
my own requests not yet recorded as published."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.classification import workdays
from baomi.kit import counts
from baomi.publication import selectors
from baomi.publication.choices import OPEN_STATES, RequestStatus


def tasks(user: Any) -> list[dict[str, Any]]:
    url = reverse("publication:list")
    out: list[dict[str, Any]] = []
    if can(user, "publication_reviews"):
        out += [
            {"label": _("Publication reviews waiting for you"), "count": counts.of(selectors.waiting_for(user)),
             "url": url + "#waiting", "level": "warn"},
            {"label": _("Publication reviews past their deadline"), "count": counts.of(selectors.overdue(user)),
             "url": url + "#all", "level": "bad"},
            {"label": _("Withheld information due for re-assessment"),
             "count": counts.of(selectors.reassessments_due(user)), "url": url + "#all", "level": "warn"},
        ]  # fmt: skip
        # Deadlines in a year the working-day calendar does not cover (R-PUB-3, issue 12 §4).
        due = selectors.requests(user).filter(status__in=OPEN_STATES).values_list("due_on", flat=True)
        for year, count in workdays.count_uncovered(due).items():
            out.append({"label": _("Publication deadlines in %(year)s, a year the working-day calendar does not cover")
                        % {"year": year}, "count": count, "url": url + "#all", "level": "warn"})  # fmt: skip
    approved = counts.of(selectors.requests(user, mine=True, status=RequestStatus.APPROVED))
    out.append({"label": _("My approved publications to record"), "count": approved, "url": url, "level": ""})
    return out
