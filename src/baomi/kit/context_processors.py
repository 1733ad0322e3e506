from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from baomi.kit.nav import items_for


def baomi(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "BAOMI_DEMO": settings.DEMO,
        "BAOMI_CEILING": settings.CEILING,
        "nav_items": items_for(user) if user is not None and user.is_authenticated else [],
        "idle_seconds": settings.SESSION_IDLE_SECONDS,
    }
