"""The auditor's filter (SEC-3): one form for the list, the export and the API query string."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.audit.events import event_choices
from baomi.audit.models import Channel, Outcome
from baomi.core.levels import Level
from baomi.kit import forms as kit_forms

FILTER_FIELDS = (
    "actor", "event", "target_type", "target_id", "target", "target_level", "outcome", "channel",
    "date_from", "date_to", "q",
)  # fmt: skip


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    event = forms.TypedChoiceField(label=_("Event"), required=False, coerce=int, empty_value=None)
    target_type = forms.CharField(label=_("Target type"), required=False, max_length=60)
    target_id = forms.CharField(label=_("Target id"), required=False, max_length=64)
    target = forms.CharField(label=_("Target"), required=False, max_length=300)
    target_level = forms.ChoiceField(label=_("Target level"), required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    date_from = kit_forms.DateField(label=_("From"), required=False, widget=kit_forms.DateInput())
    date_to = kit_forms.DateField(label=_("To"), required=False, widget=kit_forms.DateInput())
    q = forms.CharField(label=_("Details contain"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = _("(all)")
        events = [(code, f"{code} {label}") for code, label in event_choices()]
        self.fields["event"].choices = _blank(every) + events  # type: ignore[attr-defined]
        self.fields["target_level"].choices = _blank(every) + list(Level.choices)  # type: ignore[attr-defined]
        self.fields["outcome"].choices = _blank(every) + list(Outcome.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = _blank(every) + list(Channel.choices)  # type: ignore[attr-defined]
        for name in ("actor", "target_type", "target_id", "target", "q"):
            self.fields[name].widget.attrs["type"] = "search"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def active(self) -> dict[str, Any]:
        """The filters in use, as plain values (for the audit entry of the view and the export)."""
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}
