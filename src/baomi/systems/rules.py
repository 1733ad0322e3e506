"""Rules for information systems and their records (SUP-7, R-SYS).

- The security officer keeps the register and records evaluations, approvals and risk
  assessments.
- The system administrator role (IT) sees every system; a system's own three administrators
  see it, and its system administrator records patches and drills (三员: the person who runs
  the system keeps its maintenance log).
- The unit head and the leading group oversee; a department head sees the department's systems.
- A system's row (name, grade, measures) is registry metadata: not behind the clearance check
  (the field is ``grade``, not a content level).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.registers.roles import is_officer, is_sysadmin, oversees
from baomi.systems.models import InformationSystem


def _all(user: Any) -> bool:
    return oversees(user) or is_sysadmin(user)


class SystemRule:
    actions = frozenset({"view", "manage", "assess", "maintain"})

    def can(self, user: Any, action: str, obj: InformationSystem) -> bool:
        if action in ("manage", "assess"):
            return is_officer(user)  # SUP-7, R-SYS-2/3: the security office keeps the register
        if action == "maintain":
            return is_officer(user) or obj.system_admin_id == user.pk  # SUP-7: patches and drills
        # SUP-7: overseers and IT, the system's administrators, heads of its department.
        return (
            _all(user) or user.pk in obj.administrators() or obj.department_id in user.headed_department_ids()
        )

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action in ("manage", "assess"):
            return queryset if is_officer(user) else queryset.none()
        if action == "maintain":
            return queryset if is_officer(user) else queryset.filter(system_admin_id=user.pk)
        if _all(user):
            return queryset
        named = Q(system_admin_id=user.pk) | Q(security_admin_id=user.pk) | Q(auditor_id=user.pk)
        return queryset.filter(named | Q(department_id__in=user.headed_department_ids()))


def _browses(user: Any) -> bool:
    if _all(user) or user.headed_department_ids():
        return True
    named = Q(system_admin_id=user.pk) | Q(security_admin_id=user.pk) | Q(auditor_id=user.pk)
    return InformationSystem.objects.filter(named).exists()


policy.register(InformationSystem, SystemRule())
policy.register_global("systems_browse", _browses)  # SUP-7
policy.register_global("systems_manage", is_officer)  # SUP-7
