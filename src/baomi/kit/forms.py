"""Form pieces every app shares, so a date, a person and a form look and behave the same on
every screen (issue 13).

- :class:`DateInput` / :func:`date_field` — a date is typed and shown as ``2026-12-06`` whatever
  the browser's locale: a text input (never ``type="date"``, which a browser in en-US shows as
  ``mm/dd/yyyy``), checked on the server with a Chinese message.
- :class:`DateTimeInput` — the same for a date with a time, ``2026-12-06 14:05``.
- ``kit/form.html`` — the one form layout (label column, field column, required star, help
  and errors under the field); apps include it instead of their own partials.
- Browser-native validation bubbles (English in an en-US browser) never show: ``app.js`` sets
  ``novalidate`` on every form, so every message comes from the server, in Chinese.

The person and department pickers are in :mod:`baomi.kit.pickers`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_PLACEHOLDER = "2026-12-06"
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", *DATE_FORMATS]


class DateInput(forms.DateInput):
    """``2026-12-06`` in a text box: same in every browser locale, no native picker."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        base = {"placeholder": _("YYYY-MM-DD"), "inputmode": "numeric", "maxlength": "10", "class": "date",
                "autocomplete": "off", "data-date": "1"}  # fmt: skip
        super().__init__(attrs={**base, **(attrs or {})}, format=format or "%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """``2026-12-06 14:05`` in a text box."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        base = {
            "placeholder": _("YYYY-MM-DD HH:MM"),
            "maxlength": "16",
            "class": "datetime",
            "autocomplete": "off",
        }
        super().__init__(attrs={**base, **(attrs or {})}, format=format or "%Y-%m-%d %H:%M")

    def format_value(self, value: Any) -> Any:
        if isinstance(value, str) and "T" in value:
            value = value.replace("T", " ")
        return super().format_value(value)


class DateField(forms.DateField):
    """A date typed as ``2026-12-06`` (also ``2026/12/06``, ``20261206``); a Chinese message
    for anything else."""

    widget = DateInput
    input_formats = DATE_FORMATS
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2026-12-06.")}


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    input_formats = DATETIME_FORMATS
    default_error_messages = {
        "invalid": _("Enter a date and time as YYYY-MM-DD HH:MM, e.g. 2026-12-06 14:05.")
    }


def date_field(label: Any, *, required: bool = True, initial: Any = None, **kw: Any) -> DateField:
    return DateField(label=label, required=required, initial=initial, **kw)


def parse_date(value: str | None) -> dt.date | None:
    """A date from a query string (``?date_from=2026-12-06``), or None when absent or malformed."""
    value = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
    return None
