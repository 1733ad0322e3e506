"""Rules for secret meetings (SUP-12, R-SITE-2).

- The security office, department heads and the unit leadership organise meetings; the
  organiser and the security office manage one (attendees, carriers, opening, closing).
- A meeting is seen by the security office, the unit head and the leading group, its organiser
  and the people on its list — and only by those cleared for its level (the generic check:
  ``level`` is a field of the meeting, its title may be sensitive).
- The unit head or a leading-group member cleared for the level approves the 保密方案, never
  the organiser (``RequestRule``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.core import levels
from baomi.kit.requests import RequestRule
from baomi.meetings.models import Attendee, Meeting, MeetingApproval, MeetingCarrier
from baomi.registers.roles import is_approver, is_officer, oversees


def _listed(user: Any, meeting: Meeting) -> bool:
    return bool(meeting.pk and meeting.attendees.filter(user_id=user.pk).exists())


class MeetingRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Meeting) -> bool:
        if action == "manage":
            return is_officer(user) or obj.organiser_id == user.pk  # SUP-12: organiser and security office
        return (
            oversees(user) or obj.organiser_id == user.pk or _listed(user, obj)
        )  # R-SITE-2: limited attendees

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "manage":
            return queryset if is_officer(user) else queryset.filter(organiser_id=user.pk)
        if oversees(user):
            return queryset
        return queryset.filter(Q(organiser_id=user.pk) | Q(attendees__user_id=user.pk)).distinct()


class MeetingPartRule:
    """Attendees and issued carriers follow their meeting's ``view`` (and its level)."""

    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        meeting = obj.meeting
        return policy.clearance_dominates(user, meeting.level) and MeetingRule().can(user, "view", meeting)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
        qs = queryset.filter(meeting__level__in=allowed)
        if oversees(user):
            return qs
        return qs.filter(Q(meeting__organiser_id=user.pk) | Q(meeting__attendees__user_id=user.pk)).distinct()


class MeetingApprovalRule(RequestRule):
    """R-SITE-2: the unit head or the leading group, cleared for the meeting's level."""

    def may_decide(self, user: Any, req: MeetingApproval) -> bool:
        return is_approver(user) and policy.clearance_dominates(user, req.meeting.level)

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if not is_approver(user):
            return queryset.none()
        allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
        return queryset.filter(meeting__level__in=allowed)

    def may_view(self, user: Any, req: MeetingApproval) -> bool:
        return is_officer(user)

    def viewable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if not is_officer(user):
            return queryset.none()
        allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
        return queryset.filter(meeting__level__in=allowed)


def _organises(user: Any) -> bool:
    return is_officer(user) or is_approver(user) or bool(user.headed_department_ids())


def _browses(user: Any) -> bool:
    """Who has something in the register (and so the menu entry): those who may organise a
    meeting or oversee them, and whoever organised one or is on a meeting's list (SUP-12)."""
    if _organises(user):
        return True
    return (
        bool(user.pk)
        and Meeting.objects.filter(Q(organiser_id=user.pk) | Q(attendees__user_id=user.pk)).exists()
    )


policy.register(Meeting, MeetingRule())
policy.register(Attendee, MeetingPartRule())
policy.register(MeetingCarrier, MeetingPartRule())
policy.register(MeetingApproval, MeetingApprovalRule())
policy.register_global("meetings_browse", _browses)  # SUP-12: organisers, overseers and the listed
policy.register_global("meetings_organise", _organises)  # SUP-12
