"""Rules for the governance records (ORG-2, SUP-9..11, SEC-2).

- The security office (保密办) keeps every governance record: the bodies' members, the yearly
  responsibility statements, regulations, emergency plans and drills, publicity and education.
- Everyone may read who sits on the bodies, the regulations in force, the emergency plans and
  the education calendar: staff must know the rules they work under (R-SITE-4 责任制, SUP-10).
- A responsibility statement is read by the security office, the unit head, the leading group
  and the head of its department.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.governance.models import (
    Campaign,
    Drill,
    EducationEvent,
    EmergencyPlan,
    Membership,
    Regulation,
    RegulationVersion,
    ResponsibilityStatement,
)


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_oversight(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD, Role.LEADING_GROUP))


class RecordRule:
    """Records every staff member may read and the security office keeps (ORG-2, SUP-9..11)."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return True  # R-SITE-4, SUP-10: the rules and the bodies are known to all staff
        return is_officer(user)  # ORG-2: the security office keeps the records

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or is_officer(user) else queryset.none()


class StatementRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: ResponsibilityStatement) -> bool:
        if action == "manage":
            return is_officer(user)  # ORG-2: the security office issues and records signatures
        # ORG-2: the 保密办, the unit head and the leading group; the department's own head.
        return is_officer(user) or is_oversight(user) or obj.department_id in user.headed_department_ids()

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if is_officer(user) or is_oversight(user):
            return queryset
        return queryset.filter(Q(department_id__in=user.headed_department_ids()))


policy.register(Membership, RecordRule())
policy.register(Regulation, RecordRule())
policy.register(RegulationVersion, RecordRule())
policy.register(EmergencyPlan, RecordRule())
policy.register(Drill, RecordRule())
policy.register(Campaign, RecordRule())
policy.register(EducationEvent, RecordRule())
policy.register(ResponsibilityStatement, StatementRule())

policy.register_global("governance", lambda u: True)  # ORG-2, SUP-10: everyone reads the regime's records
policy.register_global("manage_governance", is_officer)  # ORG-2: kept by the security office
policy.register_global(
    "statements_list", lambda u: is_officer(u) or is_oversight(u) or bool(u.headed_department_ids())
)  # ORG-2
