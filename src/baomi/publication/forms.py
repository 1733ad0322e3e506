"""Forms of the publication review UI: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.kit import forms as kit_forms
from baomi.publication.choices import Channel, DeadlineKind, Ground, ReferralTo


class DateInput(kit_forms.DateInput):
    """The shared date box (kit/forms.py): 2026-12-06 in every browser locale."""


def _date(label: Any, required: bool = True, initial: Any = timezone.localdate) -> kit_forms.DateField:
    return kit_forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.docx,.pdf,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _in_three_days() -> Any:
    return timezone.localdate() + timedelta(days=3)


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=300)
    channel = forms.ChoiceField(label=_("Publication channel"), choices=Channel.choices)
    channel_detail = forms.CharField(label=_("Where exactly"), max_length=200, required=False,
                                     help_text=_("Column of the website, name of the newspaper, receiving organisation…"))  # fmt: skip
    intended_on = _date(_("Intended publication date"), initial=_in_three_days)
    deadline_kind = forms.ChoiceField(
        label=_("Deadline"), choices=DeadlineKind.choices, initial=DeadlineKind.PROACTIVE
    )
    formed_on = _date(_("Formed, changed or received on"))
    text = forms.CharField(
        label=_("Text to publish"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    uploads = MultipleFileField(label=_("Attachments (txt, docx, pdf, xlsx)"), required=False)


class DepartmentReviewForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    ground = forms.ChoiceField(
        label=_("Ground (when refusing)"), choices=[("", "—"), *Ground.choices], required=False
    )


class DecisionForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    ground = forms.ChoiceField(
        label=_("Ground (when refusing)"), choices=[("", "—"), *Ground.choices], required=False
    )
    redacted_text = forms.CharField(label=_("Redacted text (when approving with redactions)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    redacted_uploads = MultipleFileField(label=_("Redacted files"), required=False)


class ReferralForm(forms.Form):
    referred_to = forms.ChoiceField(label=_("Referred to"), choices=ReferralTo.choices)
    authority = forms.CharField(label=_("Authority"), max_length=200)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    referred_on = _date(_("Referred on"))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    reference = forms.CharField(label=_("Answer reference"), max_length=200, required=False)
    answered_on = _date(_("Answered on"))


class PublishForm(forms.Form):
    where = forms.CharField(label=_("Published where"), max_length=300)
    published_on = _date(_("Published on"))
    file = forms.FileField(label=_("Published file"), required=False)
    digest = forms.CharField(label=_("or its digest"), max_length=64, required=False)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=60, initial=20)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ReassessForm(forms.Form):
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class KeywordForm(forms.Form):
    text = forms.CharField(label=_("Keyword"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
