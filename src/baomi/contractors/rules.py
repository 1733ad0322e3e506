"""Rules for contractors, their qualifications and engagements (SUP-13, R-SITE-3).

- The security officer keeps the register and engages contractors.
- The unit head, the leading group and department heads see it (they choose contractors for
  their departments' work); an engagement's responsible person sees that engagement.
- An engagement carries a level: seeing it needs the clearance (its scope describes 涉密 work).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.registers.roles import is_officer, oversees


def _browses(user: Any) -> bool:
    return oversees(user) or bool(user.headed_department_ids())


class RegisterRule:
    """Contractors and qualifications: registry facts, not classified."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "manage":
            return is_officer(user)  # SUP-13: the security office keeps the register
        return _browses(user)  # SUP-13: overseers and heads choose contractors

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        return queryset if _browses(user) else queryset.none()


class EngagementRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Engagement) -> bool:
        if action == "manage":
            return is_officer(user)  # R-SITE-3: the security office manages the whole process
        return _browses(user) or obj.responsible_id == user.pk

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.none()
        if _browses(user):
            return queryset
        return queryset.filter(Q(responsible_id=user.pk))


policy.register(Contractor, RegisterRule())
policy.register(Qualification, RegisterRule())
policy.register(Engagement, EngagementRule())
policy.register_global("contractors_browse", _browses)  # SUP-13
policy.register_global("contractors_manage", is_officer)  # SUP-13
