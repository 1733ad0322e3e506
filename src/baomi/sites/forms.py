"""Forms of the key departments and places register (SUP-5): shape only; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.levels import STATE_SECRET_LEVELS, Level
from baomi.registers.forms import DepartmentChoice, date_field, person_field, text_area, today_field
from baomi.sites import selectors
from baomi.sites.choices import PlaceKind

LEVELS = [(lv.value, lv.label) for lv in Level if lv in STATE_SECRET_LEVELS]


class KeyDepartmentForm(forms.Form):
    department = DepartmentChoice(label=_("Department"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    level = forms.ChoiceField(label=_("Highest level handled"), choices=LEVELS)
    responsible = person_field(_("Responsible person"), None)
    reason = forms.CharField(label=_("Why it is key"), max_length=300, required=False)
    note = text_area(_("Note"))

    def __init__(self, *args: Any, viewer: Any = None, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments_without_key(viewer)  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = selectors.people()  # type: ignore[attr-defined]
        if edit:
            del self.fields["department"]


class ConfirmForm(forms.Form):
    confirmed_on = today_field(_("Confirmed on"))
    reference = forms.CharField(label=_("Confirmation reference"), max_length=100,
                                help_text=_("The 保密局's document number."))  # fmt: skip


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.CharField(label=_("Code"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlaceKind.choices)
    department = DepartmentChoice(label=_("Department"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    level = forms.ChoiceField(label=_("Highest level"), choices=LEVELS)
    responsible = person_field(_("Responsible person"), None)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    access_control = forms.BooleanField(label=_("Access control"), required=False)
    cctv = forms.BooleanField(label=_("Video surveillance"), required=False)
    alarm = forms.BooleanField(label=_("Intrusion alarm"), required=False)
    shielding = forms.BooleanField(label=_("Electromagnetic shielding"), required=False)
    check_months = forms.IntegerField(label=_("Check every (months)"), min_value=1, max_value=24,
                                      initial=settings.SITES_CHECK_MONTHS)  # fmt: skip
    note = text_area(_("Note"))

    def __init__(self, *args: Any, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["responsible"].queryset = selectors.people()  # type: ignore[attr-defined]
        if edit:
            del self.fields["code"]


class CabinetForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=30)
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("As written on carriers, e.g. 办公室保密柜A-01.")
    )
    custodian = person_field(_("Custodian"), None)
    level = forms.ChoiceField(
        label=_("Highest level"), choices=[("", _("As the place")), *LEVELS], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = selectors.people()  # type: ignore[attr-defined]


class CustodianForm(forms.Form):
    custodian = person_field(_("New custodian"), None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = selectors.people()  # type: ignore[attr-defined]


class PlanCheckForm(forms.Form):
    planned_on = today_field(_("Planned for"))


class RecordCheckForm(forms.Form):
    checked_on = today_field(_("Checked on"))
    findings = text_area(pgettext_lazy("registers", "Findings"), rows=3)
    rectify_by = date_field(_("Rectify by"), required=False)
