"""Permission-filtered reads of the carrier registry (CAR-12), and what other apps ask of it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from baomi.carriers.choices import CarrierStatus
from baomi.carriers.models import Carrier

CLOSED = (CarrierStatus.DESTROYED, CarrierStatus.ARCHIVED)


def outstanding_for(user: Any) -> QuerySet[Carrier]:
    """Carriers a person still holds — in custody or on loan to them — which an exit must see
    returned before it completes (PER-5, R-PER-6). The carriers app extends this as loans,
    take-outs and devices are added; callers rely only on "empty means nothing outstanding"."""
    return Carrier.objects.filter(custodian=user).exclude(status__in=CLOSED)
