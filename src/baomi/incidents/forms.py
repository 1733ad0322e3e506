"""Forms of the incidents UI: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level
from baomi.incidents import selectors
from baomi.incidents.choices import Channel, IncidentKind, NoticeAudience, Recipient, ReviewResult
from baomi.kit import forms as kit_forms
from baomi.kit import pickers

DateTimeInput = kit_forms.DateTimeInput


def _now() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


def _when(label: Any, required: bool = True) -> kit_forms.DateTimeField:
    return kit_forms.DateTimeField(label=label, required=required, initial=_now)


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class PersonChoice(pickers.PersonField):
    """A person picked by typing (kit/pickers.py), never a list of everyone (issue 13)."""


class ReportForm(forms.Form):
    """R-INC-2: the low-friction form for anyone who discovers an incident."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    title = forms.CharField(label=_("In one line"), max_length=300)
    description = _text(_("What happened"), rows=5)
    discovered_at = _when(_("Discovered at"))
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    carriers = forms.CharField(
        label=_("Carriers involved"), required=False, max_length=1000,
        help_text=_("Registry numbers, separated by spaces or commas."),
    )  # fmt: skip

    def numbers(self) -> list[str]:
        raw = self.cleaned_data.get("carriers", "").replace("，", ",").replace(",", " ")
        return [n for n in raw.split() if n]


class AssignForm(forms.Form):
    handler = PersonChoice(label=_("Handler"), queryset=None)  # type: ignore[arg-type]  # set in __init__

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = selectors.handlers()  # type: ignore[attr-defined]


class CorrectForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    level = forms.ChoiceField(label=_("Level involved"), choices=[("", "—"), *Level.choices], required=False)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)


class UpwardForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Recipient"), choices=Recipient.choices)
    reported_at = _when(_("Reported at"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reference = forms.CharField(label=_("Reference"), max_length=200,
                                help_text=_("Document number, telephone record or receipt."))  # fmt: skip


class ActionForm(forms.Form):
    text = _text(_("Remedial action"))
    occurred_at = _when(_("Time"))
    taken_by = PersonChoice(label=_("Taken by"), queryset=None, required=False)  # type: ignore[arg-type]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_by"].queryset = selectors.handlers()  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = _text(_("Investigation note"))


class CaseForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), max_length=100)
    note = _text(_("Note"), rows=2, required=False)


class ConcludeForm(forms.Form):
    review_result = forms.ChoiceField(label=_("Review conclusion"), choices=ReviewResult.choices)
    conclusion = _text(_("Conclusion"), rows=4)


class NotifyForm(forms.Form):
    audience = forms.CharField(label=_("Notified to"), max_length=300)
    text = _text(_("Notification"))
    occurred_at = _when(_("Time"))


class NoticeForm(forms.Form):
    """R-INC-3 (PIPL Art 57): every content of the notice is required."""

    audience = forms.ChoiceField(label=_("Notified to"), choices=NoticeAudience.choices)
    notified_at = _when(_("Notified at"))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    info_types = forms.CharField(label=_("Types of information"), max_length=300)
    cause = forms.CharField(label=_("Cause"), max_length=300)
    likely_harm = forms.CharField(label=_("Likely harm"), max_length=300)
    measures = forms.CharField(label=_("Measures taken"), max_length=300)
    remedies = forms.CharField(label=_("What individuals can do"), max_length=300)
    contact = forms.CharField(label=_("Contact"), max_length=200)


class CarrierForm(forms.Form):
    number = forms.CharField(label=_("Registry number"), max_length=40)
    lost = forms.BooleanField(label=_("Lost (mark missing in the registry)"), required=False)


class ItemForm(forms.Form):
    item = forms.IntegerField(label=_("Item number"), min_value=1)


class AddendumForm(forms.Form):
    text = _text(_("Addendum"))


class PenaltyForm(forms.Form):
    """PER-7: a penalty recorded by the personnel service, linked to this incident."""

    user = PersonChoice(label=_("Person"), queryset=None)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    decided_on = kit_forms.DateField(label=_("Decided on"), initial=timezone.localdate,
                                 widget=kit_forms.DateInput())  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from baomi.personnel.choices import SanctionKind

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.people().select_related("department")  # type: ignore[attr-defined]
        self.fields["kind"].choices = [c for c in SanctionKind.choices if c[0] != SanctionKind.COMMENDATION]  # type: ignore[attr-defined]
