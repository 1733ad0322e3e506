"""Rules for accounts (SEC-2, R-ROLE-5): who manages accounts, roles and clearances.

- The system administrator creates and disables accounts and manages departments; grants no
  clearance and reads no audit.
- The security officer assigns business roles and clearances (授权), not the administrators'.
- The auditor only reads the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import SEPARATED_ADMINISTRATORS, Role
from baomi.accounts.models import Department, User


class UserRule:
    actions = frozenset({"view", "manage_accounts", "assign_role", "set_clearance"})

    def can(self, user: Any, action: str, obj: User) -> bool:
        if action == "view":
            return True  # names and departments are not classified (ORG-1)
        if action == "manage_accounts":
            return user.has_role(Role.SYSTEM_ADMINISTRATOR)  # R-ROLE-5
        if action == "assign_role":
            return user.has_role(Role.SECURITY_OFFICER)  # SEC-2: 安全保密管理员 grants permissions
        if action == "set_clearance":
            # SEC-2: only the security officer grants clearance, never to themself.
            return user.has_role(Role.SECURITY_OFFICER) and user.pk != obj.pk
        return False

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view":
            return queryset
        if action == "manage_accounts" and user.has_role(Role.SYSTEM_ADMINISTRATOR):
            return queryset
        if action in {"assign_role", "set_clearance"} and user.has_role(Role.SECURITY_OFFICER):
            return queryset.exclude(pk=user.pk) if action == "set_clearance" else queryset
        return queryset.none()


class DepartmentRule:
    actions = frozenset({"view", "manage_departments"})

    def can(self, user: Any, action: str, obj: Department) -> bool:
        if action == "view":
            return True
        return user.has_role(Role.SYSTEM_ADMINISTRATOR)

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view" or user.has_role(Role.SYSTEM_ADMINISTRATOR):
            return queryset
        return queryset.none()


policy.register(User, UserRule())
policy.register(Department, DepartmentRule())
policy.register_global("manage_accounts", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("manage_departments", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("assign_role", lambda u: u.has_role(Role.SECURITY_OFFICER))
policy.register_global("read_audit", lambda u: u.has_role(Role.AUDITOR))  # SEC-3, R-ROLE-5
policy.register_global("is_administrator", lambda u: bool(u.role_codes() & SEPARATED_ADMINISTRATORS))
