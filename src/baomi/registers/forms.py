"""Form pieces the registers share: the kit's date and date-time fields and its person picker
(issue 13). Forms check shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from baomi.kit import forms as kit_forms
from baomi.kit import pickers


def date_field(label: Any, required: bool = True, initial: Any = None, **kwargs: Any) -> kit_forms.DateField:
    """A date typed and shown as 2026-12-06 in every browser locale (kit/forms.py, issue 13)."""
    return kit_forms.date_field(label, required=required, initial=initial, **kwargs)


def today_field(label: Any, required: bool = True) -> kit_forms.DateField:
    return date_field(label, required, initial=timezone.localdate)


def datetime_field(label: Any, required: bool = True, **kwargs: Any) -> kit_forms.DateTimeField:
    """A date and time typed as 2026-12-06 14:05 (kit/forms.py)."""
    return kit_forms.DateTimeField(label=label, required=required, **kwargs)


def text_area(label: Any, required: bool = False, rows: int = 2, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class PersonChoice(pickers.PersonField):
    """A person picked by typing (kit/pickers.py), never a list of everyone (issue 13)."""


def person_field(
    label: Any, queryset: Any, required: bool = True, *, purpose: str = "people"
) -> PersonChoice:
    """A person field of the registers; ``purpose`` decides whom the picker may offer."""
    return PersonChoice(label=label, queryset=queryset, required=required, purpose=purpose)


class DepartmentChoice(pickers.DepartmentField):
    """A department picked by typing its name or code, shown with its path (kit/pickers.py)."""
