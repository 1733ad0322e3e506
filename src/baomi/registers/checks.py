"""Validation helpers the registers' services share: each failure is a ``ValidationFailed``
with a clear Chinese message on the field it concerns, raised before anything is written
(SEC-7: bad input changes nothing)."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core import levels
from baomi.core.errors import ValidationFailed


def fail(field: str, message: Any) -> NoReturn:
    raise ValidationFailed(message, fields={field: [message]})


def require_text(value: Any, field: str, message: Any) -> str:
    text = str(value or "").strip()
    if not text:
        fail(field, message)
    return text


def not_future(day: date | None, field: str) -> None:
    """A date that records what was done cannot lie ahead."""
    if day is not None and day > timezone.localdate():
        fail(field, _("The date cannot be in the future."))


def cleared_for(user: Any, level: str, field: str, message: Any) -> None:
    """``user`` is active and cleared for ``level`` (no read up, CAR-3)."""
    if user is None or not getattr(user, "is_active", False) or not levels.dominates(user.clearance, level):
        fail(field, message)


def state_secret_level(level: Any, field: str = "level") -> str:
    """One of 秘密/机密/绝密."""
    if level not in levels.STATE_SECRET_LEVELS:
        fail(field, _("Choose 秘密, 机密 or 绝密."))
    return str(level)
