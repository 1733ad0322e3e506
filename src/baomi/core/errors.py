"""Errors that services raise; the UI and the API turn them into Chinese messages (SEC-7)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class BaomiError(Exception):
    """Base of every domain error: carries a stable code and a translated message."""

    code = "error"
    status = 400
    default_message: Any = _("The request could not be completed.")

    def __init__(self, message: Any = None, *, fields: dict[str, Any] | None = None, **params: Any):
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        self.params = params
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class ValidationFailed(BaomiError):
    code = "invalid"
    default_message = _("The data is not valid.")


class InvalidTransition(BaomiError):
    """A lifecycle move that the transition table does not allow (STYLE 2.5)."""

    code = "invalid_transition"
    status = 409
    default_message = _("This action is not allowed in the current state.")


class CeilingExceeded(BaomiError):
    """Content or metadata above the accreditation ceiling (SEC-8)."""

    code = "above_ceiling"
    default_message = _("This system is not accredited for information at this level.")


class Conflict(BaomiError):
    code = "conflict"
    status = 409
    default_message = _("The record was changed by someone else; reload and try again.")


class NotFound(BaomiError):
    """Absent or forbidden: both look the same to the caller (CAR-3)."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")
