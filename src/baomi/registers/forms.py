"""Form pieces the registers share: date and date-time inputs, a person choice that shows
name, username and department. Forms check shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def date_field(label: Any, required: bool = True, initial: Any = None, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), initial=initial, **kwargs)


def today_field(label: Any, required: bool = True) -> forms.DateField:
    return date_field(label, required, initial=timezone.localdate)


def datetime_field(label: Any, required: bool = True, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, widget=DateTimeInput(),
                               input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)  # fmt: skip


def text_area(label: Any, required: bool = False, rows: int = 2, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        dept = obj.department.name if obj.department_id else ""
        return f"{obj.full_name or obj.username}（{obj.username}）{dept}"


def person_field(label: Any, queryset: Any, required: bool = True) -> PersonChoice:
    return PersonChoice(label=label, queryset=queryset, required=required)
