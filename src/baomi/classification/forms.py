"""Forms of the classification UI: they validate shape; services decide (STYLE 2.9).

Choices of people, departments, guide entries and source items come from selectors, so a form
never offers what the user may not see (CAR-3).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from baomi.classification import selectors
from baomi.classification.choices import (
    CalendarDayKind,
    DurationKind,
    DurationUnit,
    LiftGround,
    MatterKind,
    Origin,
    ReportTo,
    ReviewDecisionKind,
    StartBasis,
)
from baomi.core import levels
from baomi.core.levels import Level
from baomi.kit import forms as kit_forms
from baomi.kit import pickers

DATE = kit_forms.DateInput()


def level_choices(blank: bool = False) -> list[tuple[str, Any]]:
    """Levels up to the accreditation ceiling (SEC-8), highest first."""
    rows = [(v, lbl) for v, lbl in reversed(Level.choices) if levels.within_ceiling(v)]
    return [("", _("— choose —")), *rows] if blank else rows


people = selectors.people
departments = selectors.departments


class DurationMixin(forms.Form):
    """The duration as a tagged union (CLS-3): the kind selects which fields count. Nothing is
    pre-filled, least of all the legal maximum (R-DUR-4)."""

    duration_kind = forms.ChoiceField(label=_("Duration form"), required=False,
                                      choices=[("", _("— none —")), *DurationKind.choices])  # fmt: skip
    duration_value = forms.IntegerField(label=_("Period"), required=False, min_value=1, max_value=100)
    duration_unit = forms.ChoiceField(label=_("Unit"), required=False, choices=DurationUnit.choices)
    long_term = forms.BooleanField(label=_("Long-term (长期)"), required=False)
    until_date = kit_forms.DateField(label=_("Declassification date"), required=False, widget=DATE)
    condition = forms.CharField(label=_("Declassification condition"), required=False, max_length=300)
    duration_basis = forms.CharField(label=_("Basis for a long or above-cap duration"), required=False,
                                     max_length=300)  # fmt: skip

    def duration(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in
                ("duration_kind", "duration_value", "duration_unit", "until_date", "condition", "long_term")}  # fmt: skip


class ProposeForm(DurationMixin):
    title = forms.CharField(label=_("Title"), max_length=300)
    reference = forms.CharField(label=_("Document number"), max_length=100, required=False)
    department: Any = forms.ModelChoiceField(label=_("Originating department"), queryset=None)
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices, initial=Origin.ORIGINAL)
    sources: Any = forms.ModelMultipleChoiceField(label=_("Source items"), queryset=None, required=False)
    level = forms.ChoiceField(label=_("Proposed level"), choices=())
    guide_entry: Any = forms.ModelChoiceField(label=_("Guide entry (basis)"), queryset=None, required=False)
    basis_text = forms.CharField(label=_("Or 保密事项范围 clause"), max_length=300, required=False)
    period_start = kit_forms.DateField(label=_("Period start"), required=False, widget=DATE)
    start_basis = forms.ChoiceField(label=_("Start basis"), choices=StartBasis.choices)
    scope_users: Any = pickers.PeopleField(label=_("Scope: people"), required=False)
    scope_departments: Any = pickers.DepartmentsField(
        label=_("Scope: departments"), queryset=None, required=False
    )
    secret_points = forms.CharField(
        label=_("Secret points (密点)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    personal_info = forms.BooleanField(label=_("Contains personal information"), required=False)
    personal_info_sensitive = forms.BooleanField(label=_("Sensitive personal information"), required=False)
    external_originator = forms.CharField(label=_("Originating unit (if another unit)"), max_length=200,
                                          required=False)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["title", "reference", "department", "origin", "sources", "guide_entry", "basis_text", "level",
                   "duration_kind", "duration_value", "duration_unit", "long_term", "until_date", "condition",
                   "duration_basis", "period_start", "start_basis", "scope_users", "scope_departments",
                   "secret_points", "personal_info", "personal_info_sensitive", "external_originator", "reason"]  # fmt: skip

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments(user)  # type: ignore[attr-defined]
        self.fields["sources"].queryset = selectors.items(user).filter(status="determined")  # type: ignore[attr-defined]
        self.fields["guide_entry"].queryset = selectors.guide_entries(user, active_only=True)  # type: ignore[attr-defined]
        self.fields["scope_users"].queryset = people(user)  # type: ignore[attr-defined]
        self.fields["scope_departments"].queryset = departments(user)  # type: ignore[attr-defined]
        self.fields["level"].choices = level_choices(blank=True)  # type: ignore[attr-defined]
        if getattr(user, "department_id", None) and not self.is_bound:
            self.initial.setdefault("department", user.department_id)


class ChangeForm(DurationMixin):
    kind = forms.ChoiceField(label=_("Request"), choices=[("change", _("Change")), ("extend", _("Extension")),
                                                           ("lift", _("Lifting"))])  # fmt: skip
    level = forms.ChoiceField(label=_("New level"), required=False, choices=())
    add_users: Any = pickers.PeopleField(label=_("Add people to scope"), required=False)
    add_departments: Any = pickers.DepartmentsField(
        label=_("Add departments to scope"), queryset=None, required=False
    )
    remove_entries = forms.MultipleChoiceField(label=_("Remove from scope"), required=False, choices=())
    lift_ground = forms.ChoiceField(label=_("Ground for lifting"), required=False,
                                    choices=[("", "—"), *LiftGround.choices])  # fmt: skip
    evidence = forms.CharField(label=_("Evidence or publication reference"), required=False, max_length=300)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    field_order = ["kind", "level", "duration_kind", "duration_value", "duration_unit", "long_term", "until_date",
                   "condition", "duration_basis", "add_users", "add_departments", "remove_entries", "lift_ground",
                   "evidence", "reason"]  # fmt: skip

    def __init__(self, user: Any, item: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(blank=True)  # type: ignore[attr-defined]
        self.fields["add_users"].queryset = people(user)  # type: ignore[attr-defined]
        self.fields["add_departments"].queryset = departments(user)  # type: ignore[attr-defined]
        self.fields["remove_entries"].choices = [  # type: ignore[attr-defined]
            (str(e.pk), str(e.user or e.department)) for e in selectors.scope_of(user, item)
        ]


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    upward_reference = forms.CharField(
        label=_("Superior's decision reference"), required=False, max_length=200
    )


class ScopeForm(forms.Form):
    user: Any = pickers.PersonField(label=_("Person"), required=False)
    department: Any = pickers.DepartmentField(label=_("Department"), queryset=None, required=False)
    starts_on = kit_forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = kit_forms.DateField(label=_("Until"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people(user)  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments(user)  # type: ignore[attr-defined]


class ExpansionForm(forms.Form):
    person: Any = pickers.PersonField(label=_("Person"))
    starts_on = kit_forms.DateField(label=_("From"), required=False, widget=DATE)
    ends_on = kit_forms.DateField(label=_("Until"), required=False, widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people(user)  # type: ignore[attr-defined]


class AccessRequestForm(forms.Form):
    reference = forms.CharField(label=_("Document number"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ExpansionDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class DesigneeForm(forms.Form):
    """Designate an expansion approver (R-SCOPE-2); people come from the selectors."""

    user: Any = pickers.PersonField(label=_("Designee"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people(user)  # type: ignore[attr-defined]


class GuideEntryForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    title = forms.CharField(label=_("Matter"), max_length=300)
    level = forms.ChoiceField(label=_("Level"), choices=())
    duration_kind = forms.ChoiceField(label=_("Duration form"), choices=DurationKind.choices)
    duration_value = forms.IntegerField(
        label=_("Suggested period"), required=False, min_value=1, max_value=100
    )
    duration_unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=[("", "—"), *DurationUnit.choices]
    )
    scope_note = forms.CharField(label=_("Usual scope"), max_length=300, required=False)
    basis_ref = forms.CharField(label=_("保密事项范围 reference"), max_length=300, required=False)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices()  # type: ignore[attr-defined]


class MatterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MatterKind.choices)
    report_to = forms.ChoiceField(label=_("Report to"), required=False, choices=[("", _("— by level —")),
                                                                               *ReportTo.choices])  # fmt: skip
    set_on = kit_forms.DateField(label=_("Provisionally protected on"), required=False, widget=DATE)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    claim_party = forms.CharField(label=_("Claiming party"), required=False, max_length=100)
    claim_level = forms.ChoiceField(label=_("Claimed level"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claim_level"].choices = level_choices(blank=True)  # type: ignore[attr-defined]


class ClaimForm(forms.Form):
    party = forms.CharField(label=_("Claiming party"), max_length=100)
    level = forms.ChoiceField(label=_("Claimed level"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices()  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    reported_on = kit_forms.DateField(label=_("Reported on"), required=False, widget=DATE)
    reference = forms.CharField(label=_("Report reference"), required=False, max_length=200)


class MatterDecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), max_length=300)
    level = forms.ChoiceField(label=_("Decided level"), choices=())
    decided_on = kit_forms.DateField(label=_("Decided on"), required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices()  # type: ignore[attr-defined]


class CalendarDayForm(forms.Form):
    day = kit_forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("Name"), required=False, max_length=100)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)


class ReviewDecisionForm(forms.Form):
    choice = forms.ChoiceField(label=_("Decision"), choices=ReviewDecisionKind.choices)
    level = forms.ChoiceField(label=_("New level"), required=False, choices=())
    duration_kind = forms.ChoiceField(label=_("Duration form"), required=False,
                                      choices=[("", "—"), *DurationKind.choices])  # fmt: skip
    duration_value = forms.IntegerField(label=_("Period"), required=False, min_value=1, max_value=100)
    duration_unit = forms.ChoiceField(label=_("Unit"), required=False, choices=DurationUnit.choices)
    long_term = forms.BooleanField(label=_("Long-term (长期)"), required=False)
    until_date = kit_forms.DateField(label=_("Declassification date"), required=False, widget=DATE)
    condition = forms.CharField(label=_("Declassification condition"), required=False, max_length=300)
    duration_basis = forms.CharField(label=_("Basis for a long or above-cap duration"), required=False,
                                     max_length=300)  # fmt: skip
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(blank=True)  # type: ignore[attr-defined]
