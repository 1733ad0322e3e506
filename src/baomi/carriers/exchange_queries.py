"""Permission-filtered reads for the exchange with other units (发文 and 收文; issue 12 §3)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from baomi.access import policy
from baomi.carriers.choices import RequestStatus
from baomi.carriers.models import Carrier, Dispatch, ExternalUnit, IncomingCarrier


def units(user: Any, *, active_only: bool = False) -> QuerySet[ExternalUnit]:
    qs = policy.visible(user, ExternalUnit.objects.all(), "view")
    return qs.filter(active=True) if active_only else qs


def unit_for(user: Any, pk: Any, action: str = "view") -> ExternalUnit:
    return policy.access_object(user, ExternalUnit.objects.all(), pk, action)


def dispatches(user: Any, *, status: str = "") -> QuerySet[Dispatch]:
    qs = policy.visible(user, Dispatch.objects.select_related("carrier", "unit", "requested_by"), "view")
    if status == "awaiting_receipt":
        return qs.filter(status=RequestStatus.DONE, receipt_on__isnull=True)
    if status == "overdue":
        return overdue_receipts(user)
    if status:
        qs = qs.filter(status=status)
    return qs


def dispatch_for(user: Any, pk: Any, action: str = "view") -> Dispatch:
    qs = Dispatch.objects.select_related("carrier", "carrier__item", "unit", "requested_by", "escort")
    return policy.access_object(user, qs, pk, action)


def dispatches_to_decide(user: Any) -> QuerySet[Dispatch]:
    return policy.visible(user, Dispatch.objects.filter(status=RequestStatus.PENDING), "decide")


def overdue_receipts(user: Any, today: Any = None) -> QuerySet[Dispatch]:
    """Dispatched carriers whose returned receipt is past its due date (CAR-5)."""
    today = today or timezone.localdate()
    qs = policy.visible(user, Dispatch.objects.select_related("carrier", "unit"), "view")
    return qs.filter(status=RequestStatus.DONE, receipt_on__isnull=True, receipt_due__lt=today)


def incoming(user: Any) -> QuerySet[IncomingCarrier]:
    return policy.visible(
        user, IncomingCarrier.objects.select_related("carrier", "unit", "received_by"), "view"
    )


def incoming_for(user: Any, pk: Any) -> IncomingCarrier:
    return policy.access_object(user, IncomingCarrier.objects.select_related("carrier", "unit"), pk, "view")


def dispatchable_carrier(user: Any, pk: Any) -> Carrier:
    """The carrier ``user`` may dispatch (``transfer``): absent and forbidden alike not found."""
    return policy.access_object(user, Carrier.objects.select_related("item"), pk, "transfer")


def incoming_of(carrier: Carrier) -> IncomingCarrier | None:
    """How a carrier the caller already sees came in from another unit (收文), if it did."""
    return IncomingCarrier.objects.filter(carrier=carrier).select_related("unit").first()
