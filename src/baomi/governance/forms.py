"""Forms of the governance UI: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.governance import pickers as _pickers  # noqa: F401  (registers whom the person fields may name)
from baomi.governance import selectors
from baomi.governance.choices import Body, EventKind, PlanKind, Position, ReviewOutcome
from baomi.kit import forms as kit_forms
from baomi.kit import pickers


class DateInput(kit_forms.DateInput):
    """The shared date box (kit/forms.py): 2026-12-06 in every browser locale."""


def _date(label: Any, required: bool = True, initial: Any = timezone.localdate) -> kit_forms.DateField:
    return kit_forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


class PersonChoice(pickers.PersonField):
    """A person picked by typing (kit/pickers.py), never a list of everyone (issue 13)."""


class PeopleChoice(pickers.PeopleField):
    """Several people picked by typing (kit/pickers.py)."""


def _people(label: Any, queryset: Any = None, required: bool = True, purpose: str = "people") -> PersonChoice:
    return PersonChoice(label=label, queryset=queryset if queryset is not None else selectors.people(),
                        required=required, purpose=purpose)  # fmt: skip


class AppointForm(forms.Form):
    body = forms.ChoiceField(label=_("Body"), choices=Body.choices)
    user = _people(_("Person"))
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    duties = forms.CharField(label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = _date(_("From"))
    reference = forms.CharField(label=_("Appointment document"), max_length=200, required=False)


class ChangeMemberForm(forms.Form):
    position = forms.ChoiceField(label=_("Position"), choices=Position.choices)
    duties = forms.CharField(label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    on = _date(_("From"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class EndMemberForm(forms.Form):
    on = _date(_("Until"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class StatementForm(forms.Form):
    department = pickers.DepartmentField(label=_("Department"), queryset=selectors.departments())
    year = forms.IntegerField(label=_("Year"), initial=lambda: timezone.localdate().year)
    text = forms.CharField(label=_("Text (empty: the standard text)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip


class SignDepartmentForm(forms.Form):
    signed_on = _date(_("Signed on"))


class SignUnitForm(forms.Form):
    signatory = _people(_("Unit head"), selectors.unit_heads(), purpose="governance.unit_head")
    signed_on = _date(_("Signed on"))


class RegulationForm(forms.Form):
    code = forms.CharField(label=_("Regulation code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.CharField(label=_("Regulation category"), max_length=100, required=False)
    version = forms.CharField(label=_("Version"), max_length=40)
    effective_on = _date(_("Effective from"))
    approved_by = _people(_("Approved by"), selectors.approvers(), purpose="governance.approver")
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    upload = forms.FileField(label=_("or the file"), required=False)


class ReviseForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=40)
    effective_on = _date(_("Effective from"))
    approved_by = _people(_("Approved by"), selectors.approvers(), purpose="governance.approver")
    change_note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    upload = forms.FileField(label=_("or the file"), required=False)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReviewOutcome.choices)
    reviewed_on = _date(_("Date of the periodic review"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_review_on = _date(_("Next review"), required=False, initial=None)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class LoadTemplatesForm(forms.Form):
    approved_by = _people(_("Approved by"), selectors.approvers(), purpose="governance.approver")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.CharField(label=_("Version"), max_length=40)
    effective_on = _date(_("Effective from"))
    approved_by = _people(_("Approved by"), selectors.approvers(), purpose="governance.approver")
    drill_interval_months = forms.IntegerField(
        label=_("Drill every (months)"), min_value=1, max_value=60, initial=12
    )
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    upload = forms.FileField(label=_("or the file"), required=False)


class PlanReviseForm(forms.Form):
    version = forms.CharField(label=_("Version"), max_length=40)
    effective_on = _date(_("Effective from"))
    approved_by = _people(_("Approved by"), selectors.approvers(), purpose="governance.approver")
    change_note = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    upload = forms.FileField(label=_("or the file"), required=False)


class DrillForm(forms.Form):
    held_on = _date(_("Held on"))
    scenario = forms.CharField(label=_("Scenario"), max_length=300)
    participants = PeopleChoice(label=_("Participants"), queryset=selectors.people(), required=False)
    other_participants = forms.CharField(label=_("Other participants"), max_length=300, required=False)
    findings = forms.CharField(label=_("Drill findings"), widget=forms.Textarea(attrs={"rows": 3}))


def _in_a_month() -> Any:
    return timezone.localdate() + timedelta(days=30)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = _date(_("From"))
    ends_on = _date(_("Until"), initial=_in_a_month)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    upload = forms.FileField(label=_("File"))


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = _date(_("Held on"))
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, initial=2)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    campaign: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False
    )  # type: ignore[arg-type]  # set in __init__
    counts_as_training = forms.BooleanField(label=_("Counts as training"), required=False)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = selectors.campaigns(viewer)  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    user = _people(_("Person"))
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False)
