"""Forms of the secret meetings register (SUP-12): shape only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import STATE_SECRET_LEVELS, Level
from baomi.meetings import pickers as _pickers  # noqa: F401  (registers whom the person fields may name)
from baomi.meetings import selectors
from baomi.meetings.choices import AttendeeRole
from baomi.registers.forms import datetime_field, person_field, text_area
from baomi.sites.selectors import usable_places

LEVELS = [(lv.value, lv.label) for lv in Level if lv in STATE_SECRET_LEVELS]


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    plan = text_area(_("Secrecy plan"), required=True, rows=5)
    venue = NamedChoice(label=_("Venue"), queryset=None,  # type: ignore[arg-type]  # set in __init__
                        help_text=_("A confirmed key place designated for the level."))  # fmt: skip
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))
    equipment = forms.CharField(label=_("Equipment"), max_length=300, required=False)
    remote = forms.BooleanField(label=_("Video or telephone meeting"), required=False)
    remote_measures = forms.CharField(label=_("Measures for the remote link"), max_length=300, required=False)

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = usable_places(viewer)  # type: ignore[attr-defined]


class AttendeeForm(forms.Form):
    user = person_field(_("Person"), None, purpose="meetings.attendee")
    role = forms.ChoiceField(label=_("Role"), choices=AttendeeRole.choices)

    def __init__(self, *args: Any, meeting: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The picker offers only people cleared for the meeting (R-SITE-2); the service checks again.
        self.fields["user"].bind(None, selectors.people(), {"meeting": meeting.pk if meeting else ""})  # type: ignore[attr-defined]


class AttendeeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user)


class IssueForm(forms.Form):
    carrier = NamedChoice(label=_("Carrier"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    attendee = AttendeeChoice(label=_("Issued to"), queryset=None)  # type: ignore[arg-type]  # set in __init__

    def __init__(self, *args: Any, viewer: Any = None, meeting: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = selectors.issuable_carriers(viewer, meeting)  # type: ignore[attr-defined]
        self.fields["attendee"].queryset = selectors.attendees_of(viewer, meeting)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)
