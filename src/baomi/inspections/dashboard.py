"""Inspection to-dos for the start page (OPS-1, SUP-1): inspections to carry out, rectification
tasks to do, submitted rectifications to verify, overdue tasks for the security officer."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.inspections import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    tasks_url = reverse("inspections:tasks")
    if can(user, "inspection_list"):
        out.append({"label": _("Inspections to carry out"), "count": counts.of(selectors.my_open_runs(user)),
                    "url": reverse("inspections:list") + "?status=open", "level": "warn"})  # fmt: skip
    out.append({"label": _("My rectification tasks"), "count": counts.of(selectors.my_tasks(user)),
                "url": tasks_url + "?mine=1", "level": "warn"})  # fmt: skip
    out.append({"label": _("Rectifications to verify"), "count": counts.of(selectors.to_verify(user)),
                "url": tasks_url + "?status=submitted", "level": "warn"})  # fmt: skip
    if can(user, "manage_inspections") or can(user, "inspection_list"):
        out.append({"label": _("Rectification tasks overdue"), "count": counts.of(selectors.overdue_tasks(user)),
                    "url": tasks_url + "?overdue=1", "level": "bad"})  # fmt: skip
    return out
