"""Reads of the visitors register (SUP-4), narrowed by ``access.policy.visible``; the visitors
still on site at closing time (the security officer's start page and the scheduler)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import User
from baomi.kit.requests import RequestStatus
from baomi.sites.selectors import all_places
from baomi.visitors.choices import VisitStatus
from baomi.visitors.models import Visit, VisitApproval


def visits(viewer: Any, *, q: str = "", status: str = "", day: dt.date | None = None) -> QuerySet[Visit]:
    qs = visible(viewer, Visit.objects.select_related("host", "escort"), "view")
    if q:
        qs = qs.filter(Q(visitor_name__icontains=q) | Q(organisation__icontains=q) | Q(purpose__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if day is not None:
        qs = qs.filter(expected_start__date__lte=day, expected_end__date__gte=day)
    return qs


def get_visit(viewer: Any, pk: Any, action: str = "view") -> Visit:
    return access_object(viewer, Visit.objects.select_related("host", "escort", "identity"), pk, action)


def approvals_of(viewer: Any, visit: Visit) -> QuerySet[VisitApproval]:
    return visible(viewer, VisitApproval.objects.filter(visit=visit).select_related("place", "place__responsible",
                                                                                      "decided_by"), "view")  # fmt: skip


def approvals(viewer: Any, *, pending: bool = True) -> QuerySet[VisitApproval]:
    """What waits for ``viewer``'s decision (the approvals queue)."""
    qs = visible(viewer, VisitApproval.objects.select_related("visit", "place", "host"), "decide")
    return qs.filter(status=RequestStatus.PENDING) if pending else qs


def get_approval(viewer: Any, pk: Any, action: str = "view") -> VisitApproval:
    return access_object(viewer, VisitApproval.objects.select_related("visit", "place"), pk, action)


def closing_time() -> dt.time:
    """The unit's closing time (``BAOMI_VISITORS_CLOSING_TIME``, default 18:00)."""
    return dt.time.fromisoformat(settings.VISITORS_CLOSING_TIME)


def on_site_at_closing(viewer: Any, now: dt.datetime | None = None) -> QuerySet[Visit]:
    """Visitors checked in and not out when the unit closes (SUP-4): after today's closing
    time every visitor on site; before it, those who came in on an earlier day and stayed.
    ``viewer`` None is the scheduler (every visit)."""
    moment = timezone.localtime(now or timezone.now())
    qs = Visit.objects.select_related("host") if viewer is None else visits(viewer)
    qs = qs.filter(status=VisitStatus.ON_SITE)
    if moment.time() >= closing_time():
        return qs
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return qs.filter(checked_in_at__lt=midnight)


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


def places() -> Any:
    return all_places()
