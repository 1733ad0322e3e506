"""Reads of the secret meetings register (SUP-12), narrowed by ``access.policy.visible``; the
meetings over with carriers still out (the start page, the scheduler, the measured check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import User
from baomi.kit.requests import RequestStatus
from baomi.meetings.choices import OPEN_ISSUES, MeetingStatus
from baomi.meetings.models import Attendee, Meeting, MeetingApproval, MeetingCarrier


def meetings(viewer: Any, *, q: str = "", status: str = "", action: str = "view") -> QuerySet[Meeting]:
    qs = visible(viewer, Meeting.objects.select_related("venue", "organiser"), action)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.filter(status=status) if status else qs


def get_meeting(viewer: Any, pk: Any, action: str = "view") -> Meeting:
    return access_object(viewer, Meeting.objects.select_related("venue", "organiser"), pk, action)


def _if_visible(viewer: Any, meeting: Meeting, qs: QuerySet) -> QuerySet:
    return qs if visible(viewer, Meeting.objects.filter(pk=meeting.pk), "view").exists() else qs.none()


def attendees_of(viewer: Any, meeting: Meeting) -> QuerySet[Attendee]:
    return _if_visible(viewer, meeting, Attendee.objects.filter(meeting=meeting).select_related("user",
                                                                                                  "user__department"))  # fmt: skip


def carriers_of(viewer: Any, meeting: Meeting) -> QuerySet[MeetingCarrier]:
    return _if_visible(viewer, meeting, MeetingCarrier.objects.filter(meeting=meeting).select_related(
        "carrier", "attendee__user", "loan", "incident"))  # fmt: skip


def get_attendee(viewer: Any, meeting: Meeting, pk: Any) -> Attendee:
    return access_object(viewer, Attendee.objects.filter(meeting=meeting).select_related("user"), pk, "view")


def get_issue(viewer: Any, meeting: Meeting, pk: Any) -> MeetingCarrier:
    return access_object(viewer, MeetingCarrier.objects.filter(meeting=meeting).select_related("carrier", "loan"), pk,
                         "view")  # fmt: skip


def approvals(viewer: Any) -> QuerySet[MeetingApproval]:
    return visible(
        viewer, MeetingApproval.objects.select_related("meeting", "meeting__venue"), "decide"
    ).filter(status=RequestStatus.PENDING)


def approval_of(meeting: Meeting) -> MeetingApproval | None:
    return MeetingApproval.objects.filter(meeting=meeting).order_by("-id").first()


def get_approval(viewer: Any, pk: Any, action: str = "view") -> MeetingApproval:
    return access_object(viewer, MeetingApproval.objects.select_related("meeting"), pk, action)


def unrecovered_meetings(viewer: Any, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """Meetings that have ended (by their time or by status) with carriers still out
    (R-SITE-2); ``viewer`` None is the scheduler."""
    moment = now or timezone.now()
    qs = Meeting.objects.all() if viewer is None else meetings(viewer)
    open_issue = MeetingCarrier.objects.filter(status__in=OPEN_ISSUES).values("meeting_id")
    return (
        qs.filter(pk__in=open_issue)
        .filter(Q(ends_at__lt=moment) | Q(status=MeetingStatus.CLOSED))
        .exclude(status=MeetingStatus.CANCELLED)
    )


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


def issuable_carriers(viewer: Any, meeting: Meeting) -> QuerySet:
    """Carriers the viewer may lend, in custody, at or below the meeting's level."""
    from baomi.carriers.models import Carrier
    from baomi.core import levels

    allowed = [lv for lv in levels.Level.values if levels.rank(lv) <= levels.rank(meeting.level)]
    return visible(viewer, Carrier.objects.filter(status="registered", level__in=allowed), "lend").order_by(
        "registry_number"
    )


# --- measured check for inspections (SUP-1, R-SITE-2): one aggregate query ------------------------


def unrecovered_carriers(moment: dt.datetime) -> QuerySet[MeetingCarrier]:
    """Carriers issued at meetings that ended before ``moment`` (or were closed), not recovered."""
    return (
        MeetingCarrier.objects.filter(status__in=OPEN_ISSUES)
        .filter(Q(meeting__ends_at__lt=moment) | Q(meeting__status=MeetingStatus.CLOSED))
        .exclude(meeting__status=MeetingStatus.CANCELLED)
    )


def measure_unrecovered_carriers(now: dt.datetime | None = None) -> dict[str, int]:
    """Carriers issued at meetings that have ended (by time or closed) and are not recovered:
    how many, and at how many meetings. One aggregate query."""
    from django.db.models import Count

    return unrecovered_carriers(now or timezone.now()).aggregate(
        count=Count("pk"), meetings=Count("meeting_id", distinct=True)
    )
