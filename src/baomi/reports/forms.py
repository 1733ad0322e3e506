"""Forms of the reports app: the period of the statistics, the annual report's texts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.kit import forms as kit_forms
from baomi.reports.statistics import Period


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    date_from = kit_forms.DateField(label=_("From"), required=False, widget=kit_forms.DateInput())
    date_to = kit_forms.DateField(label=_("Until"), required=False, widget=kit_forms.DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if (start or end) and data.get("year"):
            raise forms.ValidationError(_("Give either a year or a date range."))
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def period(self) -> Period:
        """The chosen period; this year when nothing (valid) is chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        today = timezone.localdate()
        if data.get("date_from") or data.get("date_to"):
            return Period(data.get("date_from") or date(today.year, 1, 1), data.get("date_to") or today)
        return Period.year(data.get("year") or today.year)


class DraftForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    edited = forms.ChoiceField(
        label=_("Parts whose text was edited"), required=False, widget=forms.RadioSelect,
        choices=[("keep", _("Keep my text")), ("overwrite", _("Replace with a new draft"))],
    )  # fmt: skip
