"""Reads of incidents for UI, API and CLI (SUP-2): permission-filtered through the policy.

The journal, reports, notices and links of an incident are read only through an incident the
viewer may see the record of (``view_record``); the reporter only by the security officer
(``view_reporter``, PER-8). Links name carriers by registry number and items by number only —
never a title (CAR-2) — and the pages link to them, where the carriers and classification
policies decide again how far the viewer may follow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, can, visible
from baomi.accounts.models import User
from baomi.incidents import clock as clock_mod
from baomi.incidents.choices import IncidentStatus
from baomi.incidents.models import (
    Incident,
    IncidentCarrier,
    IncidentEntry,
    IncidentItem,
    PersonalInfoNotice,
    UpwardReport,
)

CLOCK_FILTERS = ("running", "overdue")


def incidents(viewer: Any, *, action: str = "view", status: str = "", kind: str = "", q: str = "",
              clock: str = "") -> QuerySet[Incident]:  # fmt: skip
    qs = visible(viewer, Incident.objects.select_related("handler"), action)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(case_number__icontains=q) | Q(source_ref__icontains=q))
    if clock in CLOCK_FILTERS:
        qs = with_missing_reports(qs)
        if clock == "overdue":
            qs = qs.filter(deadline_at__lt=timezone.now())
        qs = qs.order_by("-opened_at", "-id")  # the GROUP BY drops Meta.ordering; pages stay stable
    return qs


def with_missing_reports(qs: QuerySet[Incident]) -> QuerySet[Incident]:
    """Incidents not closed whose clock applies and which lack at least one upward report."""
    return (
        qs.exclude(status=IncidentStatus.CLOSED)
        .filter(deadline_at__isnull=False)
        .annotate(n_reports=Count("upward_reports", distinct=True))
        .filter(n_reports__lt=2)
    )


def running_clocks(viewer: Any) -> QuerySet[Incident]:
    """The clocks still running for the viewer, the most urgent first (the dashboards)."""
    return with_missing_reports(incidents(viewer, action="report_upward")).order_by("deadline_at", "id")


def get_incident(viewer: Any, pk: Any, action: str = "view") -> Incident:
    return access_object(viewer, Incident.objects.select_related("handler"), pk, action)


def clock_of(incident: Incident, now: datetime | None = None) -> clock_mod.Clock:
    return clock_mod.clock(incident.deadline_at, incident.upward_reports.all(), now or timezone.now())


def _record(viewer: Any, incident: Incident) -> bool:
    return bool(can(viewer, "view_record", incident))


def entries_of(viewer: Any, incident: Incident) -> QuerySet[IncidentEntry]:
    if not _record(viewer, incident):
        return IncidentEntry.objects.none()
    return incident.entries.select_related("actor", "recorded_by").order_by("occurred_at", "id")


def upward_reports_of(viewer: Any, incident: Incident) -> QuerySet[UpwardReport]:
    if not _record(viewer, incident):
        return UpwardReport.objects.none()
    return incident.upward_reports.select_related("recorded_by")


def notices_of(viewer: Any, incident: Incident) -> QuerySet[PersonalInfoNotice]:
    if not _record(viewer, incident):
        return PersonalInfoNotice.objects.none()
    return incident.notices.all()


def carriers_of(viewer: Any, incident: Incident) -> QuerySet[IncidentCarrier]:
    if not _record(viewer, incident):
        return IncidentCarrier.objects.none()
    return incident.carrier_links.select_related("carrier").order_by("carrier__registry_number")


def items_of(viewer: Any, incident: Incident) -> QuerySet[IncidentItem]:
    if not _record(viewer, incident):
        return IncidentItem.objects.none()
    return incident.item_links.select_related("item").order_by("item_id")


def sanctions_of(viewer: Any, incident: Incident) -> QuerySet:
    """Penalties linked to the incident (PER-7), as far as the personnel policy shows them."""
    from baomi.personnel.selectors import sanctions

    return sanctions(viewer).filter(incident=incident)


def reporter_of(viewer: Any, incident: Incident) -> User | None:
    """Who reported or opened the incident — for the security officer only (PER-8)."""
    if incident.opened_by_id is None or not can(viewer, "view_reporter", incident):
        return None
    return User.objects.filter(pk=incident.opened_by_id).first()


def handlers(incident: Incident | None = None) -> QuerySet[User]:
    """Active accounts that may be assigned (names are not classified, ORG-1)."""
    qs = User.objects.filter(is_active=True).select_related("department")
    return qs.order_by("department__sort_order", "username")


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def my_reports(viewer: Any) -> QuerySet[Incident]:
    return incidents(viewer).filter(opened_by_id=viewer.pk)


def reportable_carriers(viewer: Any) -> QuerySet:
    """Carriers the reporter may name (those they may see), for the report form."""
    from baomi.carriers.models import Carrier

    return visible(viewer, Carrier.objects.all(), "view")


def carrier_by_number(viewer: Any, number: str) -> Any:
    """The carrier with registry number ``number`` if the viewer may see it; not found alike."""
    from baomi.access.policy import deny
    from baomi.carriers.models import Carrier

    carrier = visible(viewer, Carrier.objects.filter(registry_number=number.strip()), "view").first()
    if carrier is None:
        raise deny(viewer, "view", ("carriers.carrier", number[:40], ""))
    return carrier


def item_for(viewer: Any, pk: Any) -> Any:
    from baomi.classification.models import Item

    return access_object(viewer, Item.objects.all(), pk, "view")
