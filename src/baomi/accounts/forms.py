from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.accounts import selectors
from baomi.accounts.choices import PersonType, Role
from baomi.core.levels import Level
from baomi.kit import pickers
from baomi.kit.forms import date_field


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=pgettext_lazy("account", "Password"), widget=forms.PasswordInput)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("totp", "Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The 6-digit code of your authenticator app, or one of your recovery codes."),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("First code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password = forms.CharField(label=pgettext_lazy("account", "New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            raise forms.ValidationError(_("The two new passwords differ."))
        return data


class NewPasswordForm(PasswordChangeForm):
    """The forced change during login: the password was checked a moment ago."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        del self.fields["old_password"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. a script.")
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=selectors.no_departments(), required=False, empty_label=_("All")
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All")), *Role.choices])
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("active", _("Active")),
            ("disabled", pgettext_lazy("account", "Disabled")),
            ("locked", _("Locked")),
        ],
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class UserForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"), max_length=150, regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": _("Use letters, digits, dot, hyphen and underscore only.")},
    )  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    department = pickers.DepartmentField(
        label=_("Department"), queryset=selectors.no_departments(), required=False
    )
    person_type = forms.ChoiceField(label=_("Person type"), choices=PersonType.choices)
    post = forms.CharField(label=_("Post"), max_length=100, required=False)

    def __init__(self, *args: Any, departments: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if editing:
            del self.fields["username"]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuthorityForm(forms.Form):
    """The security officer's form on the account page: the authorised determination level.
    The clearance is not on it — it derives from the personnel file (PER-2, R-AC-4)."""

    authority_level = forms.ChoiceField(
        label=_("Authorised determination level"),
        required=False,
        choices=[("", _("None"))]
        + [c for c in Level.choices if c[0] in {"confidential", "secret", "top_secret"}],
        help_text=_("Only for classification authorities."),
    )
    # R-DET-7: the written designation behind the authorised level.
    designation_document = forms.CharField(
        label=_("Designation document"), max_length=200, required=False,
        help_text=_("The number of the written designation of the classification authority."),
    )  # fmt: skip
    valid_from = date_field(_("Designation in force from"), required=False, help_text=_("Empty: from today."))


class HandoverForm(forms.Form):
    identity_checked = forms.BooleanField(
        label=_("I have checked the identity document of the person, who is here in person"),
        required=True,
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.RegexField(
        label=pgettext_lazy("department", "Code"), max_length=30, regex=r"^[A-Za-z0-9_-]+$"
    )
    parent = pickers.DepartmentField(
        label=_("Parent department"), queryset=selectors.no_departments(), required=False
    )
    sort_order = forms.IntegerField(label=_("Order"), min_value=0, initial=0, required=False)
    head = pickers.PersonField(label=_("Department head"), queryset=selectors.no_users(), required=False)
    secrecy_officer = pickers.PersonField(
        label=_("Secrecy officer"), queryset=selectors.no_users(), required=False
    )

    def __init__(self, *args: Any, departments: Any, people: Any, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = departments  # type: ignore[attr-defined]
        self.fields["head"].queryset = people  # type: ignore[attr-defined]
        self.fields["secrecy_officer"].queryset = people  # type: ignore[attr-defined]
        if editing:
            del self.fields["code"]
