from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ledger"))
    file = forms.FileField(label=_("Excel file (.xlsx)"), help_text=_("Filled in from the template below."))
    mode = forms.ChoiceField(
        label=_("Import"),
        choices=[
            ("check", _("Only check every row (nothing is imported)")),
            ("all", _("All rows, or none if any row is refused")),
            ("valid", _("The rows that pass; report the refused ones")),
        ],
        initial="check",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]
