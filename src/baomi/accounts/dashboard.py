"""To-do entries of the accounts app on the home page (OPS-1): locked accounts, for the system
administrator who can unlock them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import can
from baomi.accounts import selectors
from baomi.kit import counts


def tasks(user: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if can(user, "manage_accounts"):
        locked = counts.of(selectors.users(user, "manage_accounts").filter(locked_until__gt=timezone.now()))
        out.append({"label": _("Locked accounts"), "count": locked,
                    "url": reverse("accounts:users") + "?state=locked", "level": "warn"})  # fmt: skip
    return out
