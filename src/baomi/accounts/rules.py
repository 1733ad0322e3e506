"""Rules for accounts (SEC-2, R-ROLE-5): who manages accounts, roles and clearances.

三员分立 (the separation of the three administrators):

- The system administrator creates, changes, disables, unlocks accounts, resets passwords
  (without learning any: R-ROLE-1..3) and keeps the department tree; he *proposes* moves
  between departments and appointments of heads and 保密责任人, which the security officer
  confirms; he grants no role and no clearance and reads no audit.
- The security officer assigns roles (the three administrators' included, under 三员分立) and
  authority levels, hands one-time passwords over in person, confirms organisation changes and
  resets second factors — never on their own account.
- Nobody sets a clearance: it derives from the personnel file (PER-2, R-AC-4).
- The auditor only reads the audit trail.
- API tokens are their owner's alone.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from baomi.access import policy
from baomi.accounts.choices import SEPARATED_ADMINISTRATORS, Role
from baomi.accounts.models import ApiToken, Department, OrgChange, User
from baomi.kit.requests import RequestRule


class UserRule:
    actions = frozenset(
        {"view", "administer", "manage_accounts", "assign_role", "set_clearance", "set_authority_level",
         "reset_totp", "hand_over_password"}
    )  # fmt: skip
    #: the security officer's actions on other people's accounts
    OFFICER_ACTIONS = frozenset({"assign_role", "set_authority_level", "reset_totp", "hand_over_password"})

    def can(self, user: Any, action: str, obj: User) -> bool:
        if action == "view":
            return True  # names and departments are not classified (ORG-1)
        if action == "administer":
            # The account details (roles, clearance, lock, second factor): the two administrators
            # who manage accounts and grant permissions (SEC-2).
            return user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER)
        if action == "manage_accounts":
            return user.has_role(Role.SYSTEM_ADMINISTRATOR)  # R-ROLE-5
        if action == "set_clearance":
            return False  # PER-2, R-AC-4: clearance derives from the personnel file, nobody types it
        if action in self.OFFICER_ACTIONS:
            # SEC-2: the 安全保密管理员 grants roles and authority, resets second factors and
            # hands one-time passwords over ...
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
        if action in self.OFFICER_ACTIONS and user.has_role(Role.SECURITY_OFFICER):
            return queryset.exclude(pk=user.pk)
        return queryset.none()


class DepartmentRule:
    actions = frozenset({"view", "manage_departments", "appoint_department_officers"})

    def can(self, user: Any, action: str, obj: Department) -> bool:
        if action == "view":
            return True  # the organisation tree is not classified (ORG-1)
        if action == "appoint_department_officers":
            return False  # R-ROLE-1..3: only through a proposal the security officer confirms
        return user.has_role(Role.SYSTEM_ADMINISTRATOR)  # ORG-1: the system administrator keeps it

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        if action == "view":
            return queryset
        if action == "manage_departments" and user.has_role(Role.SYSTEM_ADMINISTRATOR):
            return queryset
        return queryset.none()


class OrgChangeRule(RequestRule):
    """Organisation changes (R-ROLE-1..3): the security officer decides — never a change that
    moves or appoints themself (the base refuses one's own request, as requester or person):
    that one goes up to the unit head. The system administrator who proposes, and the security
    officer, read them all."""

    def may_decide(self, user: Any, req: Any) -> bool:
        if user.has_role(Role.SECURITY_OFFICER):
            return True
        person = req.person
        return bool(
            user.has_role(Role.UNIT_HEAD) and person is not None and person.has_role(Role.SECURITY_OFFICER)
        )

    def decidable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        if user.has_role(Role.SECURITY_OFFICER):
            return queryset
        if user.has_role(Role.UNIT_HEAD):
            return queryset.filter(person__role_assignments__role=Role.SECURITY_OFFICER)
        return queryset.none()

    def may_view(self, user: Any, req: Any) -> bool:
        return bool(user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER))

    def viewable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset if self.may_view(user, None) else queryset.none()


class ApiTokenRule:
    actions = frozenset({"view", "revoke"})

    def can(self, user: Any, action: str, obj: ApiToken) -> bool:
        return bool(obj.user_id == user.pk)  # a token is its owner's alone (API-1)

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        return queryset.filter(user=user)  # a token is its owner's alone (API-1)


policy.register(User, UserRule())
policy.register(Department, DepartmentRule())
policy.register(ApiToken, ApiTokenRule())
policy.register(OrgChange, OrgChangeRule())
policy.register_global("manage_accounts", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("manage_departments", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR))
policy.register_global("assign_role", lambda u: u.has_role(Role.SECURITY_OFFICER))
# R-ROLE-1..3: the list of organisation changes — proposed by one, confirmed by the other.
policy.register_global("org_changes", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER))
policy.register_global(
    "administer_accounts", lambda u: u.has_role(Role.SYSTEM_ADMINISTRATOR, Role.SECURITY_OFFICER)
)
policy.register_global("read_audit", lambda u: u.has_role(Role.AUDITOR))  # SEC-3, R-ROLE-5
policy.register_global("is_administrator", lambda u: bool(u.role_codes() & SEPARATED_ADMINISTRATORS))
