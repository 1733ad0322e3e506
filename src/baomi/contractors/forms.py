"""Forms of the contractors register (SUP-13): shape only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.contractors import selectors
from baomi.contractors.choices import QualificationGrade, QualificationKind
from baomi.core.levels import STATE_SECRET_LEVELS, Level
from baomi.registers.forms import date_field, person_field, text_area, today_field

LEVELS = [(lv.value, lv.label) for lv in Level if lv in STATE_SECRET_LEVELS]


class ContractorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    contact = forms.CharField(label=_("Contact person"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    note = text_area(_("Note"))

    def __init__(self, *args: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if edit:
            del self.fields["name"]
            del self.fields["credit_code"]


class QualificationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QualificationKind.choices)
    grade = forms.ChoiceField(label=_("Grade"), choices=QualificationGrade.choices)
    number = forms.CharField(label=_("Certificate number"), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=100, required=False)
    issued_on = date_field(_("Issued on"))
    expires_on = date_field(_("Expires on"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class EngagementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of work"), choices=QualificationKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    scope = forms.CharField(label=_("Scope"), max_length=300)
    agreement_ref = forms.CharField(label=_("Confidentiality agreement"), max_length=100,
                                    help_text=_("The number of the 保密协议 signed for this work."))  # fmt: skip
    agreement_signed_on = today_field(_("Agreement signed on"))
    starts_on = today_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    responsible = person_field(_("Responsible person of the unit"), None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = selectors.people()  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    result = text_area(_("Result"), required=True)
