"""Forms of the visitors register (SUP-4): shape only; services decide (the identity number's
format, the times' order, the approvals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.registers.forms import datetime_field, person_field
from baomi.visitors import selectors
from baomi.visitors.choices import IdentityType


class PlaceChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class VisitForm(forms.Form):
    visitor_name = forms.CharField(label=_("Visitor"), max_length=100)
    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdentityType.choices)
    id_number = forms.CharField(label=pgettext_lazy("registers", "Document number"), max_length=40,
                                help_text=_("Stored encrypted; shown masked."))  # fmt: skip
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    host = person_field(_("Host"), None)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    places = PlaceChoices(label=_("Key places entered"), queryset=None, required=False,  # type: ignore[arg-type]
                          help_text=_("Each needs its responsible person's approval before check-in."))  # fmt: skip
    other_areas = forms.CharField(label=_("Other areas"), max_length=200, required=False)
    escort = person_field(_("Escort"), None, required=False)
    expected_start = datetime_field(_("Expected arrival"))
    expected_end = datetime_field(_("Expected departure"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["escort"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["places"].queryset = selectors.places()  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Note"), max_length=300, required=False)
