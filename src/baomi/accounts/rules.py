"""Rules for accounts (SEC-2, R-ROLE-5): who manages accounts, roles and clearances.

三员分立 (the separation of the three administrators):

- The system administrator creates, changes, disables, unlocks accounts, resets passwords and
  manages departments; grants no role and no clearance and reads no audit.
- The security officer assigns roles (the three administrators' included, under 三员分立),
  clearances and authority levels, and resets second factors — never on their own account.
- The auditor only reads the audit trail.
- API tokens are their owner's alone.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import SEPARATED_ADMINISTRATORS, Role
from baomi.accounts.models import ApiToken, Department, User


class UserRule:
    actions = frozenset(
        {"view", "administer", "manage_accounts", "assign_role", "set_clearance", "reset_totp"}
    )

    def can(self, user: Any, action: str, obj: User) -> bool:
        if action == "view":
            return True  # names and departments are not classified (ORG-1)
        if action == "administer":
            # The account details (roles, clearance, lock, second factor): the two administrators
            # who manage accounts and grant permissions (SEC-2).
            return user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER)
        if action == "manage_accounts":
            return user.has_role(Role.SYSTEM_ADMINISTRATOR)  # R-ROLE-5
        if action in {"assign_role", "set_clearance", "reset_totp"}:
            # SEC-2: the 安全保密管理员 grants roles and clearance and resets second factors ...
            if not user.has_role(Role.SECURITY_OFFICER):
                return False
            # ... never on their own account (nobody grants themself anything).
            return bool(user.pk != obj.pk)
        return False

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view":
            return queryset
        if action == "administer" and user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER):
            return queryset
        if action == "manage_accounts" and user.has_role(Role.SYSTEM_ADMINISTRATOR):
            return queryset
        if action in {"assign_role", "set_clearance", "reset_totp"} and user.has_role(Role.SECURITY_OFFICER):
            return queryset.exclude(pk=user.pk)
        return queryset.none()


class DepartmentRule:
    actions = frozenset({"view", "manage_departments"})

    def can(self, user: Any, action: str, obj: Department) -> bool:
        if action == "view":
            return True  # the organisation tree is not classified (ORG-1)
        return user.has_role(Role.SYSTEM_ADMINISTRATOR)  # ORG-1: the system administrator keeps it

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view" or user.has_role(Role.SYSTEM_ADMINISTRATOR):
            return queryset
        return queryset.none()


class ApiTokenRule:
    actions = frozenset({"view", "revoke"})

    def can(self, user: Any, action: str, obj: ApiToken) -> bool:
        return bool(obj.user_id == user.pk)  # a token is its owner's alone (API-1)

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        return queryset.filter(user=user)  # a token is its owner's alone (API-1)


policy.register(User, UserRule())
policy.register(Department, DepartmentRule())
policy.register(ApiToken, ApiTokenRule())
policy.register_global("manage_accounts", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("manage_departments", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("assign_role", lambda u: u.has_role(Role.SECURITY_OFFICER))
policy.register_global(
    "administer_accounts", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER)
)
policy.register_global("read_audit", lambda u: u.has_role(Role.AUDITOR))  # SEC-3, R-ROLE-5
policy.register_global("is_administrator", lambda u: bool(u.role_codes() & SEPARATED_ADMINISTRATORS))
