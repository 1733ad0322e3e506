"""Forms of the data assets register (SUP-8): shape only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.dataassets import selectors
from baomi.dataassets.choices import DataCategory, DataGrade, DataOutcome
from baomi.registers.forms import DepartmentChoice, date_field, person_field, text_area, today_field
from baomi.systems.selectors import systems


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class AssetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=30)
    category = forms.ChoiceField(label=pgettext_lazy("registers", "Category"), choices=DataCategory.choices)
    grade = forms.ChoiceField(label=_("Data grade"), choices=DataGrade.choices,
                              help_text=_("GB/T 43697-2024; when in doubt, grade up (就高从严)."))  # fmt: skip
    department = DepartmentChoice(label=_("Owning department"), queryset=None)  # type: ignore[arg-type]
    owner = person_field(_("Owner"), None)
    officer = person_field(_("Data security officer"), None, required=False)
    system = NamedChoice(label=_("System holding it"), queryset=None, required=False)  # type: ignore[arg-type]
    measures = forms.CharField(label=_("Protective measures"), max_length=300)
    processors = forms.CharField(label=_("Processors"), max_length=300, required=False)
    records = forms.IntegerField(label=_("Number of records"), min_value=0, required=False)
    personal_information = forms.BooleanField(label=_("Contains personal information"), required=False)
    note = text_area(_("Note"))

    def __init__(self, *args: Any, viewer: Any = None, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["officer"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["system"].queryset = systems(viewer)  # type: ignore[attr-defined]
        if edit:
            for name in ("name", "code", "department"):
                del self.fields[name]


class AssessmentForm(forms.Form):
    assessed_on = today_field(_("Assessed on"))
    assessor = forms.CharField(label=_("Assessed by"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DataOutcome.choices)
    findings = text_area(pgettext_lazy("registers", "Findings"), rows=3)
    reported_on = date_field(_("Reported to the authority on"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300)


class ReviewForm(forms.Form):
    manage_as_secret = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "1",
        choices=[("0", _("Not a state secret")), ("1", _("Manage as a state secret"))],
    )  # fmt: skip
    note = forms.CharField(label=_("Reasons"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
