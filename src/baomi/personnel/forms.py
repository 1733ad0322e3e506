"""Forms of the personnel UI: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.kit import forms as kit_forms
from baomi.kit import pickers
from baomi.personnel import pickers as _pickers  # noqa: F401  (registers whom the person fields may name)
from baomi.personnel import selectors
from baomi.personnel.choices import (
    AgreementKind,
    Category,
    ExitKind,
    Opinion,
    ReportKind,
    ReviewKind,
    ReviewResult,
    SanctionKind,
    TrainingKind,
)


class DateInput(kit_forms.DateInput):
    """The shared date box (kit/forms.py): 2026-12-06 in every browser locale."""


def _date(label: Any, required: bool = True, initial: Any = timezone.localdate) -> kit_forms.DateField:
    return kit_forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)


class PersonChoice(pickers.PersonField):
    """A person picked by typing (kit/pickers.py), never a list of everyone (issue 13)."""


class OpenFileForm(forms.Form):
    user = PersonChoice(label=_("Person"), purpose="personnel.without_file")
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    secret_post = forms.CharField(label=_("Classified post"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.people_without_file(viewer).select_related("department")  # type: ignore[attr-defined]


class CategoryForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    secret_post = forms.CharField(label=_("Classified post"), max_length=100, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReviewKind.choices)
    result = forms.ChoiceField(label=_("Result"), choices=ReviewResult.choices)
    reviewed_on = _date(_("Reviewed on"))
    note = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = forms.FileField(label=_("Attachment"), required=False)


class PledgeForm(forms.Form):
    version: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Version"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    signed_on = _date(_("Signed on"))

    def __init__(self, *args: Any, viewer: Any, kind: str = AgreementKind.PLEDGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.agreement_versions(viewer, kind)  # type: ignore[attr-defined]


class AgreementVersionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    version = forms.CharField(label=_("Version"), max_length=30)
    effective_on = _date(_("Effective from"))
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class StartExitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ExitKind.choices)
    approved_on = _date(_("Departure approved on"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class InterviewForm(forms.Form):
    held_on = _date(_("Interview on"))
    note = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SeparationForm(forms.Form):
    years = forms.IntegerField(label=_("Years"), min_value=0, max_value=30)
    reason = forms.CharField(label=_("Reason for a longer period"), max_length=300, required=False)


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    held_on = _date(_("Held on"))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_value=999, decimal_places=1, initial=2)
    organiser = forms.CharField(label=_("Organiser"), max_length=100, required=False)
    has_exam = forms.BooleanField(label=_("With exam"), required=False)
    pass_mark = forms.IntegerField(label=_("Pass mark"), min_value=0, max_value=100, initial=60)


class AttendanceForm(forms.Form):
    user = PersonChoice(label=_("Person"), queryset=None)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.people().select_related("department")  # type: ignore[attr-defined]


class TravelForm(forms.Form):
    destination = forms.CharField(label=_("Destination"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    departs_on = _date(_("Departs on"), initial=None)
    returns_on = _date(_("Returns on"), initial=None)


class OpinionForm(forms.Form):
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReturnForm(forms.Form):
    returned_on = _date(_("Returned on"))


class TravelReportForm(forms.Form):
    report = forms.CharField(label=_("Post-trip report"), widget=forms.Textarea(attrs={"rows": 4}))


class SanctionForm(forms.Form):
    user = PersonChoice(label=_("Person"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=SanctionKind.choices)
    decided_on = _date(_("Decided on"))
    reason = forms.CharField(label=_("Reason"), max_length=300)
    incident: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Incident"), queryset=None, required=False
    )  # type: ignore[arg-type]  # set in __init__
    report: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Violation report"), queryset=None, required=False
    )  # type: ignore[arg-type]  # set in __init__
    merit = forms.CharField(label=_("Merit"), max_length=300, required=False)

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.people().select_related("department")  # type: ignore[attr-defined]
        self.fields["incident"].queryset = selectors.incidents(viewer)  # type: ignore[attr-defined]
        self.fields["report"].queryset = selectors.violation_reports(viewer)  # type: ignore[attr-defined]


class ViolationReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind"), choices=ReportKind.choices)
    occurred_on = _date(_("When"), required=False, initial=None)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 6}))


class HandleReportForm(forms.Form):
    note = forms.CharField(label=_("Handling note"), max_length=300, required=False)


class BreachForm(forms.Form):
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))
