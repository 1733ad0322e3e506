"""Forms of the monitoring app (SEC-5): shape only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.kit import forms as kit_forms
from baomi.monitoring.choices import AlertStatus, KeyKind, RuleKind
from baomi.monitoring.detectors import SPECS


class AlertFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), ("open", _("Open (new or acknowledged)")), *AlertStatus.choices],
    )  # fmt: skip
    rule = forms.ChoiceField(label=_("Rule"), required=False, choices=[("", _("All")), *RuleKind.choices])
    subject = forms.CharField(label=_("Subject contains"), required=False, max_length=100)
    date_from = kit_forms.DateField(label=_("Raised from"), required=False, widget=kit_forms.DateInput())
    date_to = kit_forms.DateField(label=_("Raised until"), required=False, widget=kit_forms.DateInput())

    def active(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v not in (None, "")}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RuleForm(forms.Form):
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    threshold = forms.IntegerField(label=_("Threshold"), min_value=1, max_value=100000)
    window_minutes = forms.IntegerField(label=_("Window (minutes)"), min_value=1, max_value=7 * 24 * 60)
    key = forms.ChoiceField(label=_("Counted per"), choices=KeyKind.choices)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = SPECS[kind].keys
        field = self.fields["key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, v) for k, v in KeyKind.choices if k in allowed]
