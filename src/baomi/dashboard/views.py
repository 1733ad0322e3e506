"""The per-role start page (OPS-1): what needs my action, gathered from every app, and for the
people who answer for the regime its state at a glance (``panels.py``).

Each app may declare a ``dashboard`` part (``baomi.<app>.dashboard.tasks(user) -> list[dict]``) with entries
``{"label": ..., "count": int, "url": ..., "level": "warn"|"bad"|""}``; entries with a count of
zero are hidden. A count given as ``kit.counts.of(queryset)`` is read with the page's other
counts in one statement.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from baomi.accounts.choices import Role
from baomi.kit import counts, registry, requests


def tasks_for(user: Any) -> list[dict[str, Any]]:
    """Every app's to-dos for ``user`` with a count, the counts read together
    (``baomi.kit.counts``: one statement for the forty of them, not forty)."""
    from baomi.audit.cache import pinned

    gathered: list[dict[str, Any]] = []
    # The figures some apps cache (personnel.selectors.shared_count): one reading of the position.
    with pinned(), counts.batch() as batch:
        for _app, module in registry.modules("dashboard"):
            gathered.extend(module.tasks(user))
        # Requests built on the shared base (baomi.kit.requests) that wait for this user's decision.
        gathered.extend(requests.approval_queue(user))
        batch.settle()
    tasks = [{**t, "count": counts.settled(t.get("count"))} for t in gathered]
    return [t for t in tasks if t["count"]]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from django.utils import timezone, translation

    from baomi.access.policy import scope_key
    from baomi.audit.cache import cached, pinned
    from baomi.dashboard.panels import panels_for
    from baomi.dashboard.reminders import due_counts, header_count

    user: Any = request.user
    # Cached until the next committed change (reads do not move it; the auditor's figures of the
    # trail itself move with every entry) and the hour (due dates and the 24-hour incident
    # clocks move with time): never stale (audit/cache.py).
    hour = timezone.localtime().strftime("%Y%m%d%H") + ":" + (translation.get_language() or "")
    trail = not user.has_role(Role.SECURITY_OFFICER) and user.has_role(Role.AUDITOR)
    # One reading of the change position for the panels and the to-dos (a figure both show is
    # counted once: personnel.selectors.shared_count).
    with pinned():
        kind, panels = cached(f"home:{scope_key(user)}:{hour}", lambda: panels_for(user),
                              moves_with="entries" if trail else "changes")  # fmt: skip
        # The to-dos are each app's own and not cached: some read state no audit entry marks.
        # The header's count from these same to-dos and the reminders (read with them): the
        # page does not fetch it after loading, which counted every to-do a second time.
        with counts.batch():
            loans_due, hand_back = due_counts(user)
            tasks = tasks_for(user)
    inbox_count = header_count(tasks, loans_due, hand_back)
    return render(request, "dashboard/home.html",
                  {"tasks": tasks, "kind": kind, "panels": panels, "inbox_count": inbox_count})  # fmt: skip
