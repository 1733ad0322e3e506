"""Small helpers shared by the apps' forms and views."""

from __future__ import annotations

from typing import Any


def error_text(form: Any) -> str:
    """Every error of a bound form as one line, for a flash message on the page the user
    returns to (the messages are already translated)."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
