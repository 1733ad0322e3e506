"""Forms of the inspections UI: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.inspections import selectors
from baomi.inspections.choices import PlanKind, Result, Severity
from baomi.kit import forms as kit_forms
from baomi.kit import pickers


class DateInput(kit_forms.DateInput):
    """The shared date box (kit/forms.py): 2026-12-06 in every browser locale."""


def _date(label: Any, initial: Any = timezone.localdate) -> kit_forms.DateField:
    return kit_forms.DateField(label=label, widget=DateInput(), initial=initial)


def _text(label: Any, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class PersonChoice(pickers.PersonField):
    """A person picked by typing (kit/pickers.py), never a list of everyone (issue 13)."""


class PeopleChoice(pickers.PeopleField):
    """Several people picked by typing (kit/pickers.py)."""


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    template = forms.ModelChoiceField(label=_("Checklist"), queryset=None)  # type: ignore[arg-type,var-annotated]
    departments = pickers.DepartmentsField(label=_("Departments"), queryset=None, required=False)  # type: ignore[arg-type]
    places = forms.CharField(label=_("Places"), max_length=500, required=False,
                             help_text=_("Key places or other places, separated by semicolons."))  # fmt: skip
    lead = PersonChoice(label=_("Lead inspector"), queryset=None)  # type: ignore[arg-type,var-annotated]
    inspectors = PeopleChoice(label=_("Inspectors"), queryset=None, required=False)  # type: ignore[arg-type,var-annotated]
    due_on = _date(_("First due"))

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.published_templates(viewer)  # type: ignore[attr-defined]
        self.fields["departments"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["lead"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["inspectors"].queryset = selectors.people()  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    note = _text(_("Note"), rows=2, required=False)
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class OverrideForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    reason = forms.CharField(label=_("Reason for overriding"), max_length=300)


class ConfirmForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class FindingForm(forms.Form):
    description = _text(_("Problem found"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.GENERAL)
    item = forms.ModelChoiceField(label=_("Check item"), queryset=None, required=False)  # type: ignore[arg-type,var-annotated]
    department = pickers.DepartmentField(label=_("Department to rectify"), queryset=None, required=False)  # type: ignore[arg-type]
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, run: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = selectors.items_of(run.template)  # type: ignore[attr-defined]
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    summary = _text(_("Summary"), rows=3, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TaskForm(forms.Form):
    measures = _text(_("Measures required"))
    deadline = _date(_("Deadline"))
    owner = PersonChoice(label=_("Owner"), queryset=None, required=False,  # type: ignore[arg-type,var-annotated]
                         help_text=_("Leave empty for the head of the department."))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = selectors.people()  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    report = _text(_("What was done"))
    evidence = forms.FileField(label=_("Evidence file"), required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), max_length=300)


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new checklist"), max_length=200)


class AreaForm(forms.Form):
    title = forms.CharField(label=_("Area"), max_length=200)


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Check item"), max_length=500)
    how_to_check = forms.CharField(
        label=_("How to check"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    score = forms.DecimalField(label=_("Score"), max_digits=5, decimal_places=1, min_value=0, initial=5)
    evidence_required = forms.BooleanField(label=_("Evidence required"), required=False)
    probe = forms.ChoiceField(label=_("Measured by"), required=False, choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["probe"].choices = [("", "—"), *selectors.probe_choices()]  # type: ignore[attr-defined]
