"""Permission-filtered reads of the carrier registry (CAR-12), and what other apps ask of it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.accounts.models import Department
from baomi.carriers import ledger as ledger_mod
from baomi.carriers.choices import CarrierStatus
from baomi.carriers.models import Carrier

CLOSED = (CarrierStatus.DESTROYED, CarrierStatus.ARCHIVED, CarrierStatus.RETURNED, CarrierStatus.DISPATCHED)


def outstanding_for(user: Any) -> QuerySet[Carrier]:
    """Carriers a person still holds — in custody or on loan to them — which an exit must see
    returned before it completes (PER-5, R-PER-6): carriers in their custody, lent to them or
    taken out by them (``holder``), including ones in transit from them that nobody has signed
    for yet and ones reported missing from their custody. Callers rely only on "empty means
    nothing outstanding"."""
    return Carrier.objects.filter(Q(custodian=user) | Q(holder=user)).exclude(status__in=CLOSED)


# --- ledgers (CAR-12): filtered views of the one registry, see baomi.carriers.ledger -----------


def ledger(user: Any, params: Any, *, size: int | None = None) -> tuple[Any, Any]:
    """One page of the unit, department or personal ledger as ``(filters, page)``: visibility
    from the policy, the user's filters, search, sort, keyset pages, a total or estimate."""

    return ledger_mod.ledger_page(user, params, size=size or ledger_mod.PAGE_SIZE)


def ledger_departments() -> list[tuple[int, str]]:
    """Departments for the ledger's filter list (names are not classified)."""

    return list(Department.objects.order_by("sort_order", "name").values_list("pk", "name"))
