from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from baomi.kit.nav import items_for, sections_for


def baomi(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    items = items_for(user) if signed_in else []
    return {
        "BAOMI_DEMO": settings.DEMO,
        "BAOMI_CEILING": settings.CEILING,
        "nav_items": items,
        "nav_sections": sections_for(user, request.path, items) if signed_in else [],
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
        "inbox_url": _inbox_url() if signed_in else "",
    }


def _inbox_url() -> str:
    """The personal inbox, where an app provides it (dashboard: ``dashboard:inbox``)."""
    try:
        return reverse("dashboard:inbox")
    except NoReverseMatch:
        return ""
