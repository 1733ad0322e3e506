"""Navigation of the accounts app: account management for the system administrator and the
security officer, the organisation tree for the system administrator (SEC-2, ORG-1)."""

from django.utils.translation import gettext_lazy as _

ITEMS = [
    (80, _("Accounts"), "accounts:users", "administer_accounts"),
    (81, _("Departments"), "accounts:departments", "manage_departments"),
    (82, _("Organisation changes"), "accounts:org-changes", "org_changes"),
]
