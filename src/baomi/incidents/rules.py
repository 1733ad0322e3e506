"""Rules for incidents (SUP-2, R-INC-1..5), registered with the policy engine.

- The security officer (保密办) runs every incident: assigns, works, reports upward, closes, and
  alone sees who reported it (as for violation reports, PER-8).
- The unit head follows every incident, reports upward and closes (实施条例 Art 61: the unit
  reports; the 主要负责人 answers for it).
- The handler the security officer assigns works the incident and reports upward.
- Whoever reported an incident may follow its status.
- The generic clearance check applies on top: an incident that involves a classified item or
  carrier carries that level, and nobody below it sees the incident at all (CAR-3).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.incidents.models import Incident


def is_officer(user: Any) -> bool:
    return bool(user.has_role(Role.SECURITY_OFFICER))


def is_unit_head(user: Any) -> bool:
    return bool(user.has_role(Role.UNIT_HEAD))


class IncidentRule:
    actions = frozenset(
        {"view", "view_record", "view_reporter", "manage", "report_upward", "close", "addendum"}
    )

    def can(self, user: Any, action: str, obj: Incident) -> bool:
        # SUP-2: the security office runs incidents and alone sees the reporter (PER-8).
        if is_officer(user):
            return True
        head = is_unit_head(user)
        handler = obj.handler_id is not None and obj.handler_id == user.pk
        if action == "view":
            # R-INC-2: the reporter follows their report; the head and the handler see the record.
            return head or handler or (obj.opened_by_id is not None and obj.opened_by_id == user.pk)
        if action in ("view_record", "report_upward", "addendum"):
            return head or handler  # R-INC-1: the unit reports; the handler works the case
        if action == "manage":
            return handler
        if action == "close":
            return head  # R-INC-5: the head answers for the closed record
        return False  # view_reporter: the security officer only (PER-8)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if is_officer(user):
            return queryset
        head = is_unit_head(user)
        handler = Q(handler_id=user.pk)
        if action == "view":
            return queryset if head else queryset.filter(handler | Q(opened_by_id=user.pk))
        if action in ("view_record", "report_upward", "addendum"):
            return queryset if head else queryset.filter(handler)
        if action == "manage":
            return queryset.filter(handler)
        if action == "close":
            return queryset if head else queryset.none()
        return queryset.none()


def can_overview(user: Any) -> bool:
    """The incident list: the security officer, the unit head, or anyone handling one."""
    return is_officer(user) or is_unit_head(user) or Incident.objects.filter(handler_id=user.pk).exists()


policy.register(Incident, IncidentRule())
policy.register_global("report_incident", lambda u: True)  # R-INC-2: anyone reports (active: checked by can)
policy.register_global("incident_list", can_overview)  # SUP-2
policy.register_global("manage_incidents", is_officer)  # SUP-2: assigning, the unit's register
