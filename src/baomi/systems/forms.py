"""Forms of the information systems register (SUP-7): shape only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.levels import Level
from baomi.devices.selectors import devices as device_list
from baomi.registers.forms import DepartmentChoice, person_field, text_area, today_field
from baomi.sites.selectors import usable_places
from baomi.systems import selectors
from baomi.systems.choices import AssessmentReason, Outcome, ReviewKind, SystemKind

GRADES = [(lv.value, lv.label) for lv in Level]


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class SystemForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=SystemKind.choices)
    grade = forms.ChoiceField(label=_("Grade"), choices=GRADES,
                              help_text=_("The highest level the system stores or processes (R-SYS-1)."))  # fmt: skip
    department = DepartmentChoice(label=_("Department"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    place = NamedChoice(label=_("Machine room"), queryset=None, required=False)  # type: ignore[arg-type]
    isolation = forms.CharField(label=_("Isolation measures"), max_length=300)
    users_scope = forms.CharField(label=_("User scope"), max_length=300)
    user_count = forms.IntegerField(label=_("Number of users"), min_value=0, initial=0)
    system_admin = person_field(_("System administrator"), None)
    security_admin = person_field(_("Security officer of the system"), None)
    auditor = person_field(_("Security auditor"), None)
    devices: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Terminals and servers"), queryset=None, required=False
    )  # type: ignore[arg-type]
    note = text_area(_("Note"))

    def __init__(self, *args: Any, viewer: Any = None, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.people()
        for name in ("system_admin", "security_admin", "auditor"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["place"].queryset = usable_places(viewer)  # type: ignore[attr-defined]
        self.fields["devices"].queryset = device_list(viewer).exclude(status="scrapped")  # type: ignore[attr-defined]
        if edit:
            for name in ("name", "code", "kind", "department"):
                del self.fields[name]


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewKind.choices)
    body = forms.CharField(label=_("Body"), max_length=200,
                           help_text=_("The authorised evaluation body, or the approving 保密局."))  # fmt: skip
    reference = forms.CharField(label=_("Reference"), max_length=100)
    held_on = today_field(_("Date"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class LiveForm(forms.Form):
    on = today_field(_("In operation since"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AssessmentForm(forms.Form):
    assessed_on = today_field(_("Assessed on"))
    reason = forms.ChoiceField(label=_("Reason"), choices=AssessmentReason.choices)
    assessor = forms.CharField(label=_("Assessed by"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    findings = text_area(pgettext_lazy("registers", "Findings"), rows=3)


class PatchForm(forms.Form):
    applied_on = today_field(_("Applied on"))
    reference = forms.CharField(label=_("Patch"), max_length=100)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)


class DrillForm(forms.Form):
    held_on = today_field(_("Held on"))
    scenario = forms.CharField(label=_("Scenario"), max_length=300)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    recovery_minutes = forms.IntegerField(label=_("Recovery time (minutes)"), min_value=0, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
