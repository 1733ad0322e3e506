"""The per-role start page (OPS-1): what needs my action, gathered from every app.

Each app may provide ``baomi.<app>.dashboard.tasks(user) -> list[dict]`` with entries
``{"label": ..., "count": int, "url": ..., "level": "warn"|"bad"|""}``; entries with a count of
zero are hidden.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

APPS = (
    "accounts",
    "classification",
    "carriers",
    "personnel",
    "supervision",
    "sites",
    "devices",
    "contractors",
    "audit",
)


def tasks_for(user: Any) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"baomi.{app}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"baomi.{app}.dashboard":
                raise
            continue
        tasks.extend(t for t in module.tasks(user) if t.get("count"))
    return tasks


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/home.html", {"tasks": tasks_for(request.user)})
